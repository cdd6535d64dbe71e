package org.threadlab.grading.exercises;

/**
 * Schedules that break the racy classes of {@link RaceCases} (exercise race-schedules, lecture 09).
 * A schedule is a string of thread letters as {@code interleave(...).schedule("ABAB")} takes it:
 * each letter runs that thread up to its next {@code step()} (or to its end).
 */
public interface RaceSchedules {
    /** Two threads A and B run {@link RaceCases.Counter#inc()}: a schedule that ends with n=1. */
    String lostUpdate();

    /** Two threads A and B run {@link RaceCases.Wallet#pay80()} on 100: a schedule that ends with balance=-60. */
    String overdraft();

    /** Three threads A, B and C run {@link RaceCases.Counter#inc()}: a schedule that ends with n=1. */
    String twoLost();
}
