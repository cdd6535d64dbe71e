// corpus: buggy
// what: starts each job's thread and joins it before starting the next: every job right, but one at a time, so nothing overlaps
// must fail: 8 downloads of 200 ms overlap: well under 8 x 200 ms; 40 jobs: all done, computing never outside the GIL, downloads overlapping
// suite: no
class PythonThreads {
    static void runAll(Gil gil, List<GilJobs.Job> jobs) throws Exception {
        for (GilJobs.Job job : jobs) {
            Thread t = Thread.ofPlatform().start(() -> gil.run(() -> {
                gil.io(job.download());
                job.compute().run();
            }));
            t.join();
        }
    }
}
