// corpus: buggy
// what: the ticket is taken with next++ outside the monitor: two threads can draw the same number and both go in
// must fail: 2 threads never inside together, under every schedule the engine tries
class TicketLock implements FairLock {
    private volatile long nextTicket;
    private volatile long serving;
    public void lock() throws InterruptedException {
        long mine = nextTicket++;
        synchronized (this) {
            while (serving != mine) wait();
        }
    }
    public synchronized void unlock() {
        serving++;
        notifyAll();
    }
}
