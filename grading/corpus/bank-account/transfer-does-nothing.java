// corpus: buggy
// what: transfer says yes and moves nothing (totals stay right, so a test of totals alone would pass it)
// must fail: deposit, withdraw, transfer on one thread; opposite transfers: no deadlock, no money lost, under every schedule the engine tries
class BankAccount implements Account {
    private long balance;
    BankAccount(long opening) { balance = opening; }
    public synchronized long balance() { return balance; }
    public synchronized void deposit(long amount) { balance += amount; }
    public synchronized boolean withdraw(long amount) {
        if (balance < amount) return false;
        balance -= amount;
        return true;
    }
    public boolean transfer(Account to, long amount) { return true; }
}
