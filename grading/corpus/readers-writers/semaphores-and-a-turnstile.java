// corpus: correct
// what: lecture 18's no-starve lock: readers pass a turnstile that a waiting writer holds, a light switch lets the first reader take the room and the last give it back
class WriterFirstLock implements RwLock {
    private final Semaphore turnstile = new Semaphore(1);
    private final Semaphore room = new Semaphore(1);
    private final Semaphore mutex = new Semaphore(1);
    private int readers;

    public void lockRead() throws InterruptedException {
        turnstile.acquire();
        turnstile.release();
        mutex.acquire();
        try {
            if (readers == 0) room.acquire();
            readers++;
        } finally {
            mutex.release();
        }
    }

    public void unlockRead() {
        mutex.acquireUninterruptibly();
        if (--readers == 0) room.release();
        mutex.release();
    }

    public void lockWrite() throws InterruptedException {
        turnstile.acquire();
        try {
            room.acquire();
        } finally {
            turnstile.release();
        }
    }

    public void unlockWrite() {
        room.release();
    }
}
