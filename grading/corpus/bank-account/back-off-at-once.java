// corpus: buggy
// suite: no (graded by ./threadlab bench grade-accuracy; the suite grades fix-the-deadlock's back-off)
// what: a ReentrantLock per account; a transfer takes its own, tryLocks the other's, and on failure lets go and retries at once: two opposite transfers can keep retrying forever (a livelock)
// must fail: opposite transfers: no deadlock, no money lost, under every schedule the engine tries
class BankAccount implements Account {
    private final ReentrantLock lock = new ReentrantLock();
    private long balance;
    BankAccount(long opening) { balance = opening; }
    public long balance() { lock.lock(); try { return balance; } finally { lock.unlock(); } }
    public void deposit(long amount) { lock.lock(); try { balance += amount; } finally { lock.unlock(); } }
    public boolean withdraw(long amount) {
        lock.lock();
        try {
            if (balance < amount) return false;
            balance -= amount;
            return true;
        } finally { lock.unlock(); }
    }
    public boolean transfer(Account to, long amount) {
        BankAccount other = (BankAccount) to;
        while (true) {
            lock.lock();
            try {
                if (other.lock.tryLock()) {
                    try {
                        if (balance < amount) return false;
                        balance -= amount;
                        other.balance += amount;
                        return true;
                    } finally { other.lock.unlock(); }
                }
            } finally { lock.unlock(); }
        }
    }
}
