// corpus: buggy
// what: a mutex released at the end of the critical section and again in the finally block: each thread leaves 2 permits, so of two threads that wait, both get in (with 2 threads nobody is left to notice)
// must fail: mutex, 3 threads, under every schedule the engine tries: never two in the critical section, all get in
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
            mutex.release();
        } finally {
            mutex.release();       // for when critical throws
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
