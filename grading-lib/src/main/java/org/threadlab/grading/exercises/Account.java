package org.threadlab.grading.exercises;

/**
 * A bank account that many threads use at once (exercise bank-account). Amounts are whole cents
 * and never negative; no method may lose or create money, whatever the threads do.
 */
public interface Account {
    /** The money in the account now. */
    long balance();

    /** Adds {@code amount} to the account. */
    void deposit(long amount);

    /** Takes {@code amount} out if the balance covers it; false (and no change) otherwise. */
    boolean withdraw(long amount);

    /**
     * Moves {@code amount} from this account to {@code to} as one step: no other thread may see
     * the money gone from here and not yet there. False (and no change) if the balance does not
     * cover it. Two threads transferring in opposite directions must not deadlock.
     */
    boolean transfer(Account to, long amount);
}
