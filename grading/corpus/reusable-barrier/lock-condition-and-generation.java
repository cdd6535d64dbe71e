// corpus: correct
// suite: no (graded by ./threadlab bench grade-accuracy; the suite grades the solution and another answer of this exercise)
// what: a ReentrantLock and one condition; the last to arrive starts a new generation and wakes everyone, the others wait in a while loop until the generation they arrived in is over
class ReusableBarrier implements Barrier {
    private final int parties;
    private int waiting;
    private long generation;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition opened = lock.newCondition();

    ReusableBarrier(int parties) {
        this.parties = parties;
    }

    public void await() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long mine = generation;
            if (++waiting == parties) {
                waiting = 0;
                generation++;
                opened.signalAll();
                return;
            }
            while (generation == mine) opened.await();
        } finally {
            lock.unlock();
        }
    }
}
