// corpus: buggy
// suite: no (graded by ./threadlab bench grade-accuracy; the suite grades the solution and another answer of this exercise)
// what: one turnstile, opened by the last to arrive and closed again by the last to leave: a fast thread leaves while the count is not yet 0, finds the turnstile open in the next round and passes it before the others arrive
// must fail: 2 threads, 2 rounds, under every schedule the engine tries: nobody passes a round early, nobody waits forever; 3 threads, 2 rounds, under every schedule the engine tries: nobody passes a round early, nobody waits forever
class ReusableBarrier implements Barrier {
    private final int parties;
    private int count;
    private final Semaphore mutex = new Semaphore(1);
    private final Semaphore turnstile = new Semaphore(0);

    ReusableBarrier(int parties) {
        this.parties = parties;
    }

    public void await() throws InterruptedException {
        mutex.acquire();
        if (++count == parties) turnstile.release();
        mutex.release();
        turnstile.acquire();
        turnstile.release();
        mutex.acquire();
        if (--count == 0) turnstile.acquire();
        mutex.release();
    }
}
