// corpus: correct
// what: the other rendezvous that works: A waits for B first, B says it has arrived first (one side must signal before it waits); fair semaphores, which serve waiting threads in arrival order
class SemaphoreLadder implements Ladder {
    private final Semaphore a1Happened = new Semaphore(0, true);
    private final Semaphore aHere = new Semaphore(0, true);
    private final Semaphore bHere = new Semaphore(0, true);
    private final Semaphore alone = new Semaphore(1, true);
    private final Semaphore room;

    SemaphoreLadder(int permits) {
        room = new Semaphore(permits, true);
    }

    public void signalA(Runnable a1) {
        a1.run();
        a1Happened.release();
    }

    public void signalB(Runnable b1) throws InterruptedException {
        a1Happened.acquire();
        b1.run();
    }

    public void rendezvousA(Runnable a1, Runnable a2) throws InterruptedException {
        a1.run();
        bHere.acquire();
        aHere.release();
        a2.run();
    }

    public void rendezvousB(Runnable b1, Runnable b2) throws InterruptedException {
        b1.run();
        bHere.release();
        aHere.acquire();
        b2.run();
    }

    public void mutex(Runnable critical) throws InterruptedException {
        alone.acquire();
        try {
            critical.run();
        } finally {
            alone.release();
        }
    }

    public void multiplex(Runnable critical) throws InterruptedException {
        room.acquire();
        try {
            critical.run();
        } finally {
            room.release();
        }
    }
}
