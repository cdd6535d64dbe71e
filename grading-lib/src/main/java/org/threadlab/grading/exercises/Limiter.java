package org.threadlab.grading.exercises;

/** At most N threads doing some work at once (exercise limiter, lecture 11); N is given to the constructor. */
public interface Limiter {
    /**
     * Runs {@code work} on the calling thread once fewer than N threads are inside, waiting until
     * then; any number of threads call it at once. The place is given back when {@code work} ends,
     * also when it throws (its exception comes out of run). A waiting thread that is interrupted
     * throws {@link InterruptedException} without running the work.
     */
    void run(Runnable work) throws InterruptedException;
}
