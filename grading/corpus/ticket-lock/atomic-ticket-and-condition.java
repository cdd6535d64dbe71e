// corpus: correct
// suite: no (graded by ./threadlab bench grade-accuracy; the suite grades the solution and another answer of this exercise)
// what: an AtomicLong hands out tickets; a ReentrantLock and a condition wait for the ticket's turn
class TicketLock implements FairLock {
    private final AtomicLong nextTicket = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition turn = lock.newCondition();
    private long serving;
    public void lock() throws InterruptedException {
        long mine = nextTicket.getAndIncrement();
        lock.lock();
        try {
            while (serving != mine) turn.await();
        } finally { lock.unlock(); }
    }
    public void unlock() {
        lock.lock();
        try {
            serving++;
            turn.signalAll();
        } finally { lock.unlock(); }
    }
}
