package org.threadlab.grading.exercises;

/** A lock that serves threads in the order they asked (exercise ticket-lock, lecture 14). */
public interface FairLock {
    /**
     * Waits until the lock is free and it is this thread's turn: threads get the lock in the
     * order they called {@code lock()}, so none can starve, and a thread that unlocks and locks
     * again goes behind those already waiting.
     */
    void lock() throws InterruptedException;

    /** Gives the lock to the next thread in line; only the holder calls it. */
    void unlock();
}
