// corpus: buggy
// what: the last to arrive resets the count and leaves one permit for each waiting thread; a fast thread that comes straight back to the next round can take a permit meant for a thread of this round that has not reached acquire() yet, and laps it
// must fail: 2 threads, 2 rounds, under every schedule the engine tries: nobody passes a round early, nobody waits forever; 3 threads, 2 rounds, under every schedule the engine tries: nobody passes a round early, nobody waits forever
// suite: no (graded by ./threadlab bench grade-accuracy)
class ReusableBarrier implements Barrier {
    private final int parties;
    private int count;
    private final Semaphore mutex = new Semaphore(1);
    private final Semaphore gate = new Semaphore(0);

    ReusableBarrier(int parties) {
        this.parties = parties;
    }

    public void await() throws InterruptedException {
        mutex.acquire();
        if (++count == parties) {
            count = 0;                        // ready for the next round
            gate.release(parties - 1);        // one permit for each thread that waits
            mutex.release();
            return;
        }
        mutex.release();
        gate.acquire();
    }
}
