package org.threadlab.grading.exercises;

/** The sum of an array computed by {@code threads} threads (exercise parallel-sum). */
@FunctionalInterface
public interface ArraySum {
    /** The sum of all of {@code data}, using {@code threads} threads (1 means: on the calling thread). */
    long sum(long[] data, int threads);
}
