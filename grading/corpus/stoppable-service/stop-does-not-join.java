// corpus: buggy
// what: stop() sets the flag, interrupts the worker and returns the waiting jobs, without waiting for the worker: the job still runs, and its thread outlives stop()
// must fail: stop() lets the running job end, and returns only once the worker thread has ended; an interrupt of the thread calling stop() is passed on: stop() still waits for the worker, then restores it
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
        return left;
    }
}
