// corpus: correct
// what: synchronized, wait() and notifyAll(), with a round number: a thread waits until the round it arrived in has ended
// suite: no (graded by ./threadlab bench grade-accuracy)
class ReusableBarrier implements Barrier {
    private final int parties;
    private int arrived;
    private int round;

    ReusableBarrier(int parties) {
        this.parties = parties;
    }

    public synchronized void await() throws InterruptedException {
        int mine = round;
        if (++arrived == parties) {
            arrived = 0;
            round++;
            notifyAll();
            return;
        }
        while (round == mine) wait();
    }
}
