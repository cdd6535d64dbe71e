// corpus: buggy
// what: the threads are started and never waited for: runAll returns while they still run
// must fail: every thread has ended when runAll returns
class Workers {
    static void runAll(List<String> names, Runnable task) {
        for (String name : names) new Thread(task, name).start();
    }
}
