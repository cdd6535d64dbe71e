// corpus: buggy
// what: a multiplex that starts with one permit more than the constructor's number: n + 1 threads are inside together
// must fail: multiplex of 2, 3 threads, under every schedule the engine tries: 2 can be inside together, never 3, all get in; a multiplex of 3 on real threads: 3 inside together, a 4th waits until one leaves; a thread waiting in signalB, rendezvousA, mutex or multiplex can be interrupted: it throws InterruptedException
// suite: no (graded by ./threadlab bench grade-accuracy)
class SemaphoreLadder implements Ladder {
    private final Semaphore ready = new Semaphore(0);
    private final Semaphore aArrived = new Semaphore(0);
    private final Semaphore bArrived = new Semaphore(0);
    private final Semaphore mutex = new Semaphore(1);
    private final Semaphore door;

    SemaphoreLadder(int permits) {
        door = new Semaphore(permits + 1);   // n more after the first
    }

    public void signalA(Runnable a1) {
        a1.run();
        ready.release();
    }

    public void signalB(Runnable b1) throws InterruptedException {
        ready.acquire();
        b1.run();
    }

    public void rendezvousA(Runnable a1, Runnable a2) throws InterruptedException {
        a1.run();
        aArrived.release();
        bArrived.acquire();
        a2.run();
    }

    public void rendezvousB(Runnable b1, Runnable b2) throws InterruptedException {
        b1.run();
        bArrived.release();
        aArrived.acquire();
        b2.run();
    }

    public void mutex(Runnable critical) throws InterruptedException {
        mutex.acquire();
        try {
            critical.run();
        } finally {
            mutex.release();
        }
    }

    public void multiplex(Runnable critical) throws InterruptedException {
        door.acquire();
        try {
            critical.run();
        } finally {
            door.release();
        }
    }
}
