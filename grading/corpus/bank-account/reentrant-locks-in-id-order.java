// corpus: correct
// suite: no (graded by ./threadlab bench grade-accuracy; the suite grades the solution and another answer of this exercise)
// what: a ReentrantLock per account, both taken in id order for a transfer
class BankAccount implements Account {
    private static final AtomicLong IDS = new AtomicLong();
    private final long id = IDS.incrementAndGet();
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
        BankAccount first = id < other.id ? this : other, second = first == this ? other : this;
        first.lock.lock();
        try {
            second.lock.lock();
            try {
                if (balance < amount) return false;
                balance -= amount;
                other.balance += amount;
                return true;
            } finally { second.lock.unlock(); }
        } finally { first.lock.unlock(); }
    }
}
