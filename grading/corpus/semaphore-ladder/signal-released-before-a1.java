// corpus: buggy
// what: signalling that releases the permit before a1 runs: B may take it and run b1 in the gap, before a1
// must fail: signalling, under every schedule the engine tries: b1 runs, and after a1
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
        ready.release();           // B needs a moment to wake up anyway
        a1.run();
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
