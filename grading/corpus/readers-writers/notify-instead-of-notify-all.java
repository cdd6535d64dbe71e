// corpus: buggy
// what: notify() instead of notifyAll(): readers and writers wait on one monitor, and notify() wakes one of them; a reader woken while a writer waits goes back to waiting and nobody else is woken
// must fail: when a writer leaves, a waiting reader or writer gets in: no lost wake-up (chosen schedules, both orders of waiting); two readers waiting for a writer both get in when it leaves (a chosen schedule)
// suite: no (graded by ./threadlab bench grade-accuracy)
class WriterFirstLock implements RwLock {
    private int readers;
    private boolean writing;
    private int waitingWriters;

    public void lockRead() throws InterruptedException {
        synchronized (this) {
            while (writing || waitingWriters > 0) wait();
            readers++;
        }
    }

    public void unlockRead() {
        synchronized (this) {
            if (--readers == 0) notify();
        }
    }

    public void lockWrite() throws InterruptedException {
        synchronized (this) {
            waitingWriters++;
            try {
                while (writing || readers > 0) wait();
            } catch (InterruptedException e) {
                notify();
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
            notify();
        }
    }
}
