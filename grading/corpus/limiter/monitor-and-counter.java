// corpus: correct
// what: a counter under the object's monitor, waiting in a while loop, notifyAll when a place frees
class PermitLimiter implements Limiter {
    private final int n;
    private int inside;
    PermitLimiter(int n) { this.n = n; }
    public void run(Runnable work) throws InterruptedException {
        synchronized (this) {
            while (inside >= n) wait();
            inside++;
        }
        try {
            work.run();
        } finally {
            synchronized (this) {
                inside--;
                notifyAll();
            }
        }
    }
}
