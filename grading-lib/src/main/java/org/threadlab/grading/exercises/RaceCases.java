package org.threadlab.grading.exercises;

import static org.threadlab.interleave.Interleaving.step;

/**
 * Racy classes whose threads can be stepped through (exercise race-schedules): {@code step()}
 * marks where a replayed schedule may switch threads.
 *
 * <pre>{@code
 * interleave(RaceCases.Counter::new, RaceCases.Counter::inc, RaceCases.Counter::inc).schedule("AABB")   // n=2
 * }</pre>
 */
public final class RaceCases {
    private RaceCases() {}

    /** {@code n++} written as its two halves: read into t, then write t + 1. */
    public static final class Counter {
        public int n;

        public void inc() {
            int t = n;
            step();
            n = t + 1;
        }

        @Override
        public String toString() {
            return "n=" + n;
        }
    }

    /** Check, then act: pay 80 if the balance covers it. */
    public static final class Wallet {
        public int balance = 100;

        public void pay80() {
            if (balance >= 80) {
                step();
                int t = balance;
                step();
                balance = t - 80;
            }
        }

        @Override
        public String toString() {
            return "balance=" + balance;
        }
    }
}
