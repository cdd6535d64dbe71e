// corpus: buggy
// what: a plain boolean running flag that the worker's loop polls; stop() only clears it (no interrupt, no poison pill, and nothing makes the write visible to the worker), so a worker waiting in take() never looks at it again and a sleeping job is never told
// must fail: jobs run one at a time on one worker thread, in the order submitted, and stop() leaves no thread behind; stop() wakes a worker that waits for a job, and that thread ends; stop() racing with submit(): the job is refused, run or returned, exactly once, under every schedule the engine tries; stop() interrupts the running job: a job sleeping for a minute ends at once; a job that swallows the interrupt does not keep the service going: the waiting job still never runs
class QueueService implements StoppableService {
    private final BlockingQueue<Runnable> jobs = new LinkedBlockingQueue<>();
    private final Thread worker = new Thread(this::work, "service-worker");
    private boolean running = true;

    public void start() { worker.start(); }

    public synchronized boolean submit(Runnable job) {
        if (!running) return false;
        jobs.add(job);
        return true;
    }

    private void work() {
        try {
            while (running) jobs.take().run();
        } catch (InterruptedException e) {
            // never happens: nobody interrupts this thread
        }
    }

    public List<Runnable> stop() {
        synchronized (this) { running = false; }
        List<Runnable> left = new ArrayList<>();
        jobs.drainTo(left);
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return left;
    }
}
