package org.threadlab.grading.exercises;

import java.util.List;

/** Named threads started together and waited for (exercise worker-threads, lecture 01). */
@FunctionalInterface
public interface Workers {
    /**
     * Starts one platform thread per name in {@code names}, named so, each running {@code task};
     * starts all of them before waiting for any, and returns when every one has ended. A task that
     * throws ends its own thread only.
     */
    void runAll(List<String> names, Runnable task) throws InterruptedException;
}
