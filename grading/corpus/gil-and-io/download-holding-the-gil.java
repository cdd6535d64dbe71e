// corpus: buggy
// what: runs each job on its own thread inside gil.run, but calls download().run() instead of gil.io(download()): the thread keeps the GIL while it waits, so the downloads take turns
// must fail: the downloads release the GIL; 8 downloads of 200 ms overlap: well under 8 x 200 ms; 40 jobs: all done, computing never outside the GIL, downloads overlapping
class PythonThreads {
    static void runAll(Gil gil, List<GilJobs.Job> jobs) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (GilJobs.Job job : jobs) {
            threads.add(Thread.ofPlatform().start(() -> gil.run(() -> {
                job.download().run();
                job.compute().run();
            })));
        }
        for (Thread t : threads) t.join();
    }
}
