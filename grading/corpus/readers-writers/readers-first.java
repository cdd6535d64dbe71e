// corpus: buggy
// what: readers first: a reader waits only while a writer writes, not while one waits, so readers that keep coming starve a writer
// must fail: a waiting writer keeps new readers out (a chosen schedule: a reader reads, a writer asks, new readers come)
class WriterFirstLock implements RwLock {
    private int readers;
    private boolean writing;

    public void lockRead() throws InterruptedException {
        synchronized (this) {
            while (writing) wait();
            readers++;
        }
    }

    public void unlockRead() {
        synchronized (this) {
            if (--readers == 0) notifyAll();
        }
    }

    public void lockWrite() throws InterruptedException {
        synchronized (this) {
            while (writing || readers > 0) wait();
            writing = true;
        }
    }

    public void unlockWrite() {
        synchronized (this) {
            writing = false;
            notifyAll();
        }
    }
}
