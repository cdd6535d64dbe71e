// corpus: buggy
// what: if instead of while: a reader woken when a writer leaves goes in without looking again, although the writer came straight back
// must fail: a writer is never inside with anyone, under every schedule the engine tries
class WriterFirstLock implements RwLock {
    private int readers;
    private boolean writing;
    private int waitingWriters;

    public void lockRead() throws InterruptedException {
        synchronized (this) {
            if (writing || waitingWriters > 0) wait();
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
            waitingWriters++;
            try {
                if (writing || readers > 0) wait();
            } catch (InterruptedException e) {
                notifyAll();
                throw e;
            } finally {
                waitingWriters--;
            }
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
