// corpus: buggy
// what: back-off without waiting: tryLock the second lock, on failure release the first and retry at once; two opposite transfers can keep retrying forever (a livelock)
// must fail: opposite transfers: no deadlock, no money lost, under every schedule the engine tries
class Branch implements Bank {
    private final long[] balances;
    private final ReentrantLock[] locks;
    Branch(int accounts) {
        balances = new long[accounts];
        locks = new ReentrantLock[accounts];
        for (int i = 0; i < accounts; i++) { balances[i] = 1000; locks[i] = new ReentrantLock(); }
    }
    public boolean transfer(int from, int to, long amount) throws InterruptedException {
        while (true) {
            locks[from].lockInterruptibly();
            try {
                if (locks[to].tryLock()) {
                    try {
                        if (balances[from] < amount) return false;
                        balances[from] -= amount;
                        balances[to] += amount;
                        return true;
                    } finally { locks[to].unlock(); }
                }
            } finally { locks[from].unlock(); }
        }
    }
    public long balance(int account) {
        locks[account].lock();
        try { return balances[account]; } finally { locks[account].unlock(); }
    }
}
