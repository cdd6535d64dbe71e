// corpus: buggy
// what: stop() catches the InterruptedException of join() and carries on: it returns at once, the job still running, and its caller's interrupt is lost
// must fail: an interrupt of the thread calling stop() is passed on: stop() still waits for the worker, then restores it
// suite: no (graded by ./threadlab bench grade-accuracy)
class QueueService implements StoppableService {
    private final BlockingQueue<Runnable> jobs = new LinkedBlockingQueue<>();
    private final Thread worker = new Thread(this::work, "service-worker");
    private volatile boolean stopped;

    public void start() { worker.start(); }

    public synchronized boolean submit(Runnable job) {
        if (stopped) return false;
        jobs.add(job);
        return true;
    }

    private void work() {
        try {
            while (!stopped) jobs.take().run();
        } catch (InterruptedException e) {
            // asked to stop
        }
    }

    public List<Runnable> stop() {
        synchronized (this) { stopped = true; }
        worker.interrupt();
        List<Runnable> left = new ArrayList<>();
        jobs.drainTo(left);
        try {
            worker.join();
        } catch (InterruptedException e) {
            // nothing to do here
        }
        return left;
    }
}
