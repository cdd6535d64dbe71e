// corpus: buggy
// what: the permit is released after the work, not in finally: a work that throws keeps its place for good
// must fail: the place is given back, also when the work throws
class PermitLimiter implements Limiter {
    private final Semaphore permits;
    PermitLimiter(int n) { permits = new Semaphore(n); }
    public void run(Runnable work) throws InterruptedException {
        permits.acquire();
        work.run();
        permits.release();
    }
}
