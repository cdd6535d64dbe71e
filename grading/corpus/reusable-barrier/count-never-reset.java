// corpus: buggy
// what: a barrier that works once: the last to arrive opens the turnstile for everyone, but nobody resets the count, so in round 2 it never equals the number of threads again and every thread waits forever
// must fail: 3 threads, 3 rounds: nobody passes before the last arrives, and the last lets everyone through; 2 threads, 2 rounds, under every schedule the engine tries: nobody passes a round early, nobody waits forever; 3 threads, 2 rounds, under every schedule the engine tries: nobody passes a round early, nobody waits forever; 5 threads, 5 rounds, a different thread last each round: nobody passes before it arrives
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
        try {
            if (++count == parties) turnstile.release(parties);
        } finally {
            mutex.release();
        }
        turnstile.acquire();
    }
}
