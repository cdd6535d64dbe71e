// corpus: buggy
// what: withdraw checks the balance, then takes the money in a second locked step: two withdrawals both pass the check
// must fail: concurrent withdrawals never overdraw
class BankAccount implements Account {
    private static final AtomicLong IDS = new AtomicLong();
    private final long id = IDS.incrementAndGet();
    private long balance;
    BankAccount(long opening) { balance = opening; }
    public synchronized long balance() { return balance; }
    public synchronized void deposit(long amount) { balance += amount; }
    public boolean withdraw(long amount) {
        if (balance() < amount) return false;
        synchronized (this) { balance -= amount; }
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
