package org.threadlab.grading.exercises;

import java.util.List;
import java.util.function.IntUnaryOperator;

/** A thread pool's map (exercise pool-map, lecture 07). */
@FunctionalInterface
public interface PoolMap {
    /**
     * {@code f} applied to every item, on a pool of {@code threads} threads (at most that many at
     * once, and that many when there is enough work), the results in the order of {@code items}.
     * When it returns, every task has finished and the pool's threads have ended. If {@code f}
     * throws for an item, map throws too (and still leaves no thread behind).
     */
    List<Integer> map(IntUnaryOperator f, List<Integer> items, int threads) throws Exception;
}
