// corpus: correct
// what: the mutex as a multiplex of 1, both through one helper that takes a permit around the critical section; a rendezvous whose semaphores are named for the step they announce
// suite: no (graded by ./threadlab bench grade-accuracy)
class SemaphoreLadder implements Ladder {
    private final Semaphore signal = new Semaphore(0);
    private final Semaphore a1Done = new Semaphore(0);
    private final Semaphore b1Done = new Semaphore(0);
    private final Semaphore mutex = new Semaphore(1);
    private final Semaphore multiplex;

    SemaphoreLadder(int permits) {
        multiplex = new Semaphore(permits);
    }

    private static void inside(Semaphore s, Runnable critical) throws InterruptedException {
        s.acquire();
        try {
            critical.run();
        } finally {
            s.release();
        }
    }

    public void signalA(Runnable a1) {
        a1.run();
        signal.release();
    }

    public void signalB(Runnable b1) throws InterruptedException {
        signal.acquire();
        b1.run();
    }

    public void rendezvousA(Runnable a1, Runnable a2) throws InterruptedException {
        a1.run();
        a1Done.release();
        b1Done.acquire();
        a2.run();
    }

    public void rendezvousB(Runnable b1, Runnable b2) throws InterruptedException {
        b1.run();
        b1Done.release();
        a1Done.acquire();
        b2.run();
    }

    public void mutex(Runnable critical) throws InterruptedException {
        inside(mutex, critical);
    }

    public void multiplex(Runnable critical) throws InterruptedException {
        inside(multiplex, critical);
    }
}
