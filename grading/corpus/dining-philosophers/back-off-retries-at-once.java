// corpus: buggy
// what: each philosopher takes the left fork, tries the right one, and when it is taken puts the left one down and tries again at once: neighbours can keep undoing each other for ever (a livelock)
// must fail: no deadlock under every schedule the engine tries (three philosophers), no livelock on real threads (two)
class DiningTable implements Dinner {
    private final ReentrantLock[] forks;
    DiningTable(int n) {
        forks = new ReentrantLock[n];
        for (int i = 0; i < n; i++) forks[i] = new ReentrantLock();
    }
    public void dine(int p, Runnable eat) throws InterruptedException {
        ReentrantLock left = forks[p], right = forks[(p + 1) % forks.length];
        while (true) {
            left.lockInterruptibly();
            try {
                if (right.tryLock()) {
                    try { eat.run(); return; } finally { right.unlock(); }
                }
            } finally { left.unlock(); }
        }
    }
}
