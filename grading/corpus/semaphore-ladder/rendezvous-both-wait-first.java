// corpus: buggy
// what: a rendezvous in which each thread waits for the other before it says it has arrived: neither ever says it, and both wait forever
// must fail: rendezvous, under every schedule the engine tries: a1 before b2, b1 before a2, nobody waits forever
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
        bArrived.acquire();         // wait for the other first, then say I am here
        aArrived.release();
        a2.run();
    }

    public void rendezvousB(Runnable b1, Runnable b2) throws InterruptedException {
        b1.run();
        aArrived.acquire();         // wait for the other first, then say I am here
        bArrived.release();
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
