// corpus: buggy
// what: signalling as a handshake: A waits until B has taken the signal, so A never gets on while B has not come (b1 still runs after a1 in every interleaving)
// must fail: signalling on real threads: a B that comes first waits until A has run a1, and A never waits
class SemaphoreLadder implements Ladder {
    private final Semaphore ready = new Semaphore(0);
    private final Semaphore seen = new Semaphore(0);          // B's answer
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
        seen.acquireUninterruptibly();   // A waits until B has had the signal
    }

    public void signalB(Runnable b1) throws InterruptedException {
        ready.acquire();
        seen.release();
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
