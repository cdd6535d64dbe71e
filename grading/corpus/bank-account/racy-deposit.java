// corpus: buggy
// what: deposit reads and writes the balance without the lock (a non-atomic read-modify-write)
// must fail: concurrent deposits are never lost
class BankAccount implements Account {
    private static final AtomicLong IDS = new AtomicLong();
    private final long id = IDS.incrementAndGet();
    private long balance;
    BankAccount(long opening) { balance = opening; }
    public synchronized long balance() { return balance; }
    public void deposit(long amount) { balance += amount; }
    public synchronized boolean withdraw(long amount) {
        if (balance < amount) return false;
        balance -= amount;
        return true;
    }
    public boolean transfer(Account to, long amount) {
        BankAccount other = (BankAccount) to;
        BankAccount first = id < other.id ? this : other, second = first == this ? other : this;
        synchronized (first) { synchronized (second) {
            if (balance < amount) return false;
            balance -= amount;
            other.balance += amount;
            return true;
        } }
    }
}
