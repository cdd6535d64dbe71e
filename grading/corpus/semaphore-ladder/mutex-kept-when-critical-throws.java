// corpus: buggy
// what: a mutex released after the critical section but not in a finally block: a critical section that throws keeps the mutex, and the next thread waits forever
// must fail: the mutex is given back when the critical section throws, and its exception comes out of mutex()
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
        critical.run();
        mutex.release();
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
