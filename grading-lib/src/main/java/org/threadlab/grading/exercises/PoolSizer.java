package org.threadlab.grading.exercises;

/** How many threads a pool should have (exercise pool-size, lecture 08). */
@FunctionalInterface
public interface PoolSizer {
    /**
     * {@code cores × (1 + waitMs / computeMs)}, rounded up: the threads that keep {@code cores}
     * cores busy when each task waits {@code waitMs} (I/O) for every {@code computeMs} it computes;
     * but never more than {@code maxThreads} (what the process may start). Throws
     * {@link IllegalArgumentException} when {@code cores} or {@code maxThreads} is below 1,
     * {@code waitMs} is negative, or {@code computeMs} is not positive.
     */
    int threads(int cores, double waitMs, double computeMs, int maxThreads);
}
