// corpus: buggy
// what: a ReentrantLock with one Condition for readers and writers, and signal(): it wakes the longest waiter, which may be a reader that must wait again; the writer behind it is never signalled
// must fail: when a writer leaves, a waiting reader or writer gets in: no lost wake-up (chosen schedules, both orders of waiting); two readers waiting for a writer both get in when it leaves (a chosen schedule); a writer, a reader and another writer: no deadlock, no lost wake-up, under every schedule the engine tries
class WriterFirstLock implements RwLock {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int readers;
    private boolean writing;
    private int waitingWriters;

    public void lockRead() throws InterruptedException {
        lock.lock();
        try {
            while (writing || waitingWriters > 0) changed.await();
            readers++;
        } finally {
            lock.unlock();
        }
    }

    public void unlockRead() {
        lock.lock();
        try {
            if (--readers == 0) changed.signal();
        } finally {
            lock.unlock();
        }
    }

    public void lockWrite() throws InterruptedException {
        lock.lock();
        try {
            waitingWriters++;
            try {
                while (writing || readers > 0) changed.await();
            } catch (InterruptedException e) {
                changed.signal();
                throw e;
            } finally {
                waitingWriters--;
            }
            writing = true;
        } finally {
            lock.unlock();
        }
    }

    public void unlockWrite() {
        lock.lock();
        try {
            writing = false;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }
}
