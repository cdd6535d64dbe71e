// corpus: buggy
// what: every philosopher takes the left fork, then the right: all holding their left fork wait forever
// must fail: no deadlock under every schedule the engine tries (three philosophers), no livelock on real threads (two)
class DiningTable implements Dinner {
    private final ReentrantLock[] forks;
    DiningTable(int n) {
        forks = new ReentrantLock[n];
        for (int i = 0; i < n; i++) forks[i] = new ReentrantLock(true);
    }
    public void dine(int p, Runnable eat) throws InterruptedException {
        ReentrantLock left = forks[p], right = forks[(p + 1) % forks.length];
        left.lockInterruptibly();
        try {
            right.lockInterruptibly();
            try { eat.run(); } finally { right.unlock(); }
        } finally { left.unlock(); }
    }
}
