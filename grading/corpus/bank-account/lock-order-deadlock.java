// corpus: buggy
// what: transfer locks the sender, then the receiver: two opposite transfers wait for each other
// must fail: opposite transfers: no deadlock, no money lost, under every schedule the engine tries
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
    public boolean transfer(Account to, long amount) {
        synchronized (this) { synchronized (to) {
            if (balance < amount) return false;
            balance -= amount;
            ((BankAccount) to).balance += amount;
            return true;
        } }
    }
}
