// corpus: buggy
// what: two turnstiles, right in every round, but waiting with acquireUninterruptibly(): an interrupted thread keeps waiting
// must fail: a waiting await() can be interrupted
class ReusableBarrier implements Barrier {
    private final int parties;
    private int count;
    private final Semaphore mutex = new Semaphore(1);
    private final Semaphore turnstile1 = new Semaphore(0);
    private final Semaphore turnstile2 = new Semaphore(0);

    ReusableBarrier(int parties) {
        this.parties = parties;
    }

    public void await() {
        mutex.acquireUninterruptibly();
        if (++count == parties) turnstile1.release(parties);
        mutex.release();
        turnstile1.acquireUninterruptibly();
        mutex.acquireUninterruptibly();
        if (--count == 0) turnstile2.release(parties);
        mutex.release();
        turnstile2.acquireUninterruptibly();
    }
}
