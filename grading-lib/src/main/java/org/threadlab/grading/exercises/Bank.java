package org.threadlab.grading.exercises;

/**
 * A bank of numbered accounts that many threads transfer between at once (exercise
 * fix-the-deadlock). Money is whole cents; no transfer may lose or create any.
 */
public interface Bank {
    /**
     * Moves {@code amount} from account {@code from} to account {@code to} as one step, if
     * {@code from} holds enough; false (and no change) otherwise. Threads transferring in opposite
     * directions at the same time must not deadlock.
     */
    boolean transfer(int from, int to, long amount) throws InterruptedException;

    /** The money in account {@code account} now. */
    long balance(int account);
}
