package org.threadlab.grading.exercises;

/**
 * A reusable barrier for a fixed number of threads, its parties (exercise reusable-barrier): a
 * thread that calls {@link #await()} waits until every party has called it in this round; then all
 * of them go on, and the barrier is ready for the next round, however fast some of them come back.
 */
public interface Barrier {
    /**
     * Waits until all parties have arrived in this round, then returns.
     *
     * @throws InterruptedException when the waiting thread is interrupted (the barrier may then be
     *                              left unusable: its other parties would wait for this one forever)
     */
    void await() throws InterruptedException;
}
