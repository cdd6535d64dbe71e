package org.threadlab.grading.exercises;

/**
 * A lock that readers share and a writer holds alone (exercise readers-writers, lecture 18).
 * Any number of threads may hold it for reading at once; a writer holds it with nobody else, no
 * reader and no other writer. A writer that waits must not starve: once a writer waits, threads
 * that ask to read wait behind it. A wait that is interrupted throws {@link InterruptedException}
 * and leaves nothing behind: the lock is as if that thread had never asked.
 */
public interface RwLock {
    /** Waits until no writer holds the lock and none waits, then holds it for reading (with other readers). */
    void lockRead() throws InterruptedException;

    /** Gives back a read hold; only a thread holding the lock for reading calls it. */
    void unlockRead();

    /** Waits until nobody holds the lock, then holds it alone. */
    void lockWrite() throws InterruptedException;

    /** Gives back the write hold; only the writer calls it. */
    void unlockWrite();
}
