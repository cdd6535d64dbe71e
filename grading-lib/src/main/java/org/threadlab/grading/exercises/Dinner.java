package org.threadlab.grading.exercises;

/**
 * The dining philosophers (exercise dining-philosophers): {@code n} philosophers sit around a
 * table with one fork between each two neighbours. Philosopher {@code i} needs fork {@code i}
 * (on the left) and fork {@code (i + 1) % n} (on the right) to eat.
 */
public interface Dinner {
    /**
     * Philosopher {@code philosopher} (0 to n - 1) takes both forks, runs {@code eat}, and puts
     * the forks down, waiting as long as needed. Many philosophers call this at once, each from its
     * own thread and many times over. Two neighbours must never eat at the same time, the table
     * must never deadlock, and no philosopher may starve: each one that keeps asking gets to eat.
     */
    void dine(int philosopher, Runnable eat) throws InterruptedException;
}
