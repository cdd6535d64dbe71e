package org.threadlab.grading.exercises;

/**
 * Amdahl's and Gustafson's laws as a model of one machine (exercise predict-speedup, lecture 21).
 *
 * <p>A job has a serial part, which one thread runs, and a parallel part, which is split evenly
 * among the threads. The parallel part runs on at most {@code cores} cores at once, so more threads
 * than cores take turns and finish no sooner. Every thread started costs {@code startSeconds}
 * (start and join, paid one after the other by the thread that starts them), one thread included.
 * All times are in seconds.
 *
 * <p>Every method throws {@link IllegalArgumentException} for {@code threads} or {@code cores}
 * below 1 and for a time that is negative or not a number.
 *
 * <pre>{@code
 * model.time(2, 8, 4, 2, 0);           // 2 + 8 / min(4, 2) = 6.0 seconds
 * model.speedup(2, 8, 4, 2, 0);        // 10 / 6 = 1.67
 * model.scaledSpeedup(2, 8, 4, 2, 0);  // (2 + 4 × 8) / (2 + 4 × 8 / 2) = 1.89
 * model.serialFraction(10, 4, 4);      // (0.4 - 0.25) / (1 - 0.25) = 0.2
 * }</pre>
 */
public interface SpeedupModel {
    /**
     * Amdahl's fixed job on {@code threads} threads: {@code threads × startSeconds + serialSeconds
     * + parallelSeconds / min(threads, cores)}. {@code parallelSeconds} is the whole parallel part,
     * as one thread would take it.
     */
    double time(double serialSeconds, double parallelSeconds, int threads, int cores, double startSeconds);

    /**
     * How many times faster {@code threads} threads finish the same job than one thread:
     * {@code time(.., 1, ..) / time(.., threads, ..)}.
     */
    double speedup(double serialSeconds, double parallelSeconds, int threads, int cores, double startSeconds);

    /**
     * Gustafson's grown job: every thread brings {@code parallelSeconds} of parallel work, so the job
     * on {@code threads} threads is {@code serialSeconds + threads × parallelSeconds} of work. Returns
     * how many times faster {@code threads} threads do that job than one thread would do the same job:
     * {@code (startSeconds + serialSeconds + threads × parallelSeconds)
     * / (threads × startSeconds + serialSeconds + threads × parallelSeconds / min(threads, cores))}.
     */
    double scaledSpeedup(double serialSeconds, double parallelSeconds, int threads, int cores, double startSeconds);

    /**
     * The serial fraction of a job from two measured times: {@code oneThreadSeconds} on one thread and
     * {@code seconds} on {@code threads} threads (no more threads than cores, start costs negligible).
     * Amdahl's law solved for the fraction: {@code (seconds / oneThreadSeconds - 1 / threads) / (1 - 1 / threads)},
     * then kept within 0 and 1 (measurements are noisy: a lucky run can give a little below 0, a
     * disturbed one above 1). Throws {@link IllegalArgumentException} for fewer than 2 threads
     * (one thread tells nothing about the parallel part) or a time that is not above 0.
     */
    double serialFraction(double oneThreadSeconds, double seconds, int threads);
}
