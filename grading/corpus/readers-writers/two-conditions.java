// corpus: correct
// what: a ReentrantLock with a condition for readers and one for writers: a leaving writer signals one writer if any waits, else all readers
// suite: no (graded by ./threadlab bench grade-accuracy)
class WriterFirstLock implements RwLock {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readersMayGo = lock.newCondition();
    private final Condition writerMayGo = lock.newCondition();
    private int readers;
    private boolean writing;
    private int waitingWriters;

    public void lockRead() throws InterruptedException {
        lock.lock();
        try {
            while (writing || waitingWriters > 0) readersMayGo.await();
            readers++;
        } finally {
            lock.unlock();
        }
    }

    public void unlockRead() {
        lock.lock();
        try {
            if (--readers == 0) writerMayGo.signal();
        } finally {
            lock.unlock();
        }
    }

    public void lockWrite() throws InterruptedException {
        lock.lock();
        try {
            waitingWriters++;
            try {
                while (writing || readers > 0) writerMayGo.await();
            } catch (InterruptedException e) {
                if (waitingWriters == 1) readersMayGo.signalAll();
                else writerMayGo.signal();      // pass on a signal this writer may have taken
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
            if (waitingWriters > 0) writerMayGo.signal();
            else readersMayGo.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
