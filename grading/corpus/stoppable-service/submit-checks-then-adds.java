// corpus: buggy
// suite: no (graded by ./threadlab bench grade-accuracy; the suite grades the solution and another answer of this exercise)
// what: submit() checks the stop flag, then adds the job, without the lock stop() takes: a job submitted while stop() runs can be accepted after stop() emptied the queue, and is then neither run nor returned (a race only the schedule engine finds every time)
// must fail: stop() racing with submit(): the job is refused, run or returned, exactly once, under every schedule the engine tries
class QueueService implements StoppableService {
    private final BlockingQueue<Runnable> jobs = new LinkedBlockingQueue<>();
    private final Thread worker = new Thread(this::work, "service-worker");
    private volatile boolean stopped;

    public void start() { worker.start(); }

    public boolean submit(Runnable job) {
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
        stopped = true;
        worker.interrupt();
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
