// corpus: buggy
// what: a plain lock on a monitor: correct mutual exclusion, but whoever runs first after unlock wins, so a thread can starve
// must fail: a thread that unlocks and locks again goes behind the one waiting
class TicketLock implements FairLock {
    private boolean held;
    public synchronized void lock() throws InterruptedException {
        while (held) wait();
        held = true;
    }
    public synchronized void unlock() {
        held = false;
        notifyAll();
    }
}
