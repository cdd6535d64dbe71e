// corpus: buggy
// what: each thread is joined right after it starts: the tasks run one after the other
// must fail: all threads run at the same time (all started before any is joined)
class Workers {
    static void runAll(List<String> names, Runnable task) throws InterruptedException {
        for (String name : names) {
            Thread t = new Thread(task, name);
            t.start();
            t.join();
        }
    }
}
