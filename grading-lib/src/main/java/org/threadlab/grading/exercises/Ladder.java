package org.threadlab.grading.exercises;

/**
 * The first four synchronization puzzles of lecture 17 in one object (exercise semaphore-ladder):
 * signalling, the rendezvous, the mutex and the multiplex. Each method is one thread's part of a
 * puzzle: it runs the steps it is given (the puzzle's {@code a1}, {@code b2}, ..., plain
 * {@link Runnable}s run on the calling thread) and waits where the puzzle says. The constructor
 * takes the multiplex's number of permits; a fresh object serves each use of a puzzle, which may
 * be by many threads at once.
 *
 * <p>Every wait is a {@link java.util.concurrent.Semaphore}'s {@code acquire()}: an interrupted
 * waiting thread throws {@link InterruptedException} without running the steps after its wait.
 * A step that throws: its exception comes out of the method, and whatever the method took (the
 * mutex, a place in the multiplex) is given back first.
 */
public interface Ladder {
    /** Signalling, thread A: runs {@code a1}, then lets B know; A never waits. */
    void signalA(Runnable a1);

    /** Signalling, thread B: waits until A has run {@code a1} (at once if it already has), then runs {@code b1}. */
    void signalB(Runnable b1) throws InterruptedException;

    /**
     * Rendezvous, thread A: runs {@code a1}, waits until B has run {@code b1}, then runs
     * {@code a2}. With {@link #rendezvousB}, {@code a1} happens before {@code b2} and {@code b1}
     * before {@code a2}, and neither thread waits forever, whichever arrives first.
     */
    void rendezvousA(Runnable a1, Runnable a2) throws InterruptedException;

    /** Rendezvous, thread B: runs {@code b1}, waits until A has run {@code a1}, then runs {@code b2}. */
    void rendezvousB(Runnable b1, Runnable b2) throws InterruptedException;

    /**
     * Mutex: runs {@code critical} when no other thread is running the critical section of this
     * mutex, waiting until then; any number of threads call it, and each gets in once the one
     * inside has left.
     */
    void mutex(Runnable critical) throws InterruptedException;

    /**
     * Multiplex: runs {@code critical} when fewer than n threads (the constructor's permits) are
     * running it, waiting until then; n threads can be inside together.
     */
    void multiplex(Runnable critical) throws InterruptedException;
}
