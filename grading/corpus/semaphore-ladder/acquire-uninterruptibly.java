// corpus: buggy
// what: every puzzle right, but every wait is acquireUninterruptibly(), as in the lecture's cells: an interrupted thread keeps waiting
// must fail: a thread waiting in signalB, rendezvousA, mutex or multiplex can be interrupted: it throws InterruptedException
// suite: no (graded by ./threadlab bench grade-accuracy)
class SemaphoreLadder implements Ladder {
    private final Semaphore ready = new Semaphore(0);
    private final Semaphore aArrived = new Semaphore(0);
    private final Semaphore bArrived = new Semaphore(0);
    private final Semaphore mutex = new Semaphore(1);
    private final Semaphore door;

    SemaphoreLadder(int permits) {
        door = new Semaphore(permits);
    }

    public void signalA(Runnable a1) {
        a1.run();
        ready.release();
    }

    public void signalB(Runnable b1) {
        ready.acquireUninterruptibly();
        b1.run();
    }

    public void rendezvousA(Runnable a1, Runnable a2) {
        a1.run();
        aArrived.release();
        bArrived.acquireUninterruptibly();
        a2.run();
    }

    public void rendezvousB(Runnable b1, Runnable b2) {
        b1.run();
        bArrived.release();
        aArrived.acquireUninterruptibly();
        b2.run();
    }

    public void mutex(Runnable critical) {
        mutex.acquireUninterruptibly();
        try {
            critical.run();
        } finally {
            mutex.release();
        }
    }

    public void multiplex(Runnable critical) {
        door.acquireUninterruptibly();
        try {
            critical.run();
        } finally {
            door.release();
        }
    }
}
