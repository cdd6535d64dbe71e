package org.threadlab.grading.exercises;

import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.Locale;
import java.util.function.LongFunction;

/**
 * An upper bound on wall time that fails a student only when the machine was free to run their
 * code: over the bound on a machine where other programs kept threads waiting for a core, the time
 * says nothing about the code, and the test is NOT JUDGED (no points, and the reason said).
 *
 * <pre>{@code
 * WallTime clock = WallTime.start();
 * fetcher.fetchAll(uris, 10);
 * clock.assertUnder(1500, ms -> "10 requests of 300 ms took " + ms + " ms; send them at once");
 * }</pre>
 */
public final class WallTime {
    /**
     * Most share of the time with some task waiting for a core (see {@link CpuPressure}) for a slow
     * run to count against the code. {@code ./threadlab bench load} on a 2-core machine, 40 ms
     * windows of a plain loop: a median of 0 % and at most 0.7-11.6 % quiet; a median of 50 % and
     * at most 57-63 % beside two busy loops (the kernel weighs each core by its busy time, and one
     * of the two ran the loop).
     */
    static final double QUIET = 0.15;

    /** Whether a run over its bound, with {@code waited} of its time spent by some task waiting for a core, is the code's fault. */
    static boolean blamesTheCode(double waited) {
        return waited < QUIET;   // false for NaN: a machine that does not say how busy it was judges nothing
    }

    private final long startNanos = System.nanoTime();
    private final CpuPressure load = new CpuPressure();

    private WallTime() {
        load.start();
    }

    public static WallTime start() {
        return new WallTime();
    }

    /** Milliseconds since {@link #start()}. */
    public long ms() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * Passes when less than {@code limitMs} ms have gone by since {@link #start()}; otherwise fails
     * with {@code why} (given the elapsed ms) if the machine was quiet, else aborts as not judged.
     */
    public void assertUnder(long limitMs, LongFunction<String> why) {
        assertUnder(limitMs, false, why);
    }

    /**
     * As {@link #assertUnder(long, LongFunction)}, but {@code oneAtATimeSeen}, what the test saw of the
     * work (a server that never had two requests at once, downloads that never overlapped), also
     * blames the code: a busy machine delays overlapping waits, it does not line them up one after another.
     */
    public void assertUnder(long limitMs, boolean oneAtATimeSeen, LongFunction<String> why) {
        long ms = ms();
        load.stop();
        if (ms < limitMs) return;
        double waited = load.waitedShare();
        if (oneAtATimeSeen || blamesTheCode(waited)) throw new AssertionFailedError(why.apply(ms));
        throw new TestAbortedException(String.format(Locale.ROOT, "this took %d ms where %d ms are allowed, but %s, so the time says "
                + "nothing about your code", ms, limitMs, Double.isNaN(waited)
                ? "this machine does not report how busy it was"
                : String.format(Locale.ROOT, "threads on this machine waited for a free core %.0f%% of that time", 100 * waited)));
    }
}
