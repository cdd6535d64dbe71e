// corpus: buggy
// what: a counter checked, then incremented, in two steps: two threads both see room and both go in
// must fail: 1 permit, 2 threads: never both inside, under every schedule the engine tries
class PermitLimiter implements Limiter {
    private final int n;
    private volatile int inside;
    PermitLimiter(int n) { this.n = n; }
    public void run(Runnable work) throws InterruptedException {
        while (inside >= n) {
            if (Thread.interrupted()) throw new InterruptedException();
            Thread.onSpinWait();
        }
        inside++;
        try { work.run(); } finally { inside--; }
    }
}
