package org.threadlab.time;

/**
 * Standard CPU-bound work for experiments: the lessons' "count to a million", written so the JIT
 * cannot skip it (each step mixes the counter into a value that is returned).
 *
 * <pre>{@code
 * long r = Work.count(1_000_000);           // a few milliseconds of one core
 * long g = Work.count(1_000_000, gil);      // the same, checking in with a simulated GIL
 * Work.spin(50);                            // keeps one core busy for 50 ms
 * }</pre>
 */
public final class Work {
    private Work() {}

    /** Counts to {@code n}, one xorshift step per count; returns the mixed value (use it or ignore it). */
    public static long count(long n) {
        return steps(SEED, 0, n);
    }

    private static final long SEED = 0x9E3779B97F4A7C15L;

    /** Counts {@code x} on from {@code from} to {@code to}: a loop without calls, which the JIT compiles as a counted loop. */
    private static long steps(long x, long from, long to) {
        for (long i = from; i < to; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            x += i;
        }
        return x;
    }

    /**
     * {@link #count(long)} inside {@code gil}: takes the GIL, checks in every 64 steps (every ~0.1 µs,
     * so it hands the GIL over every switch interval when other threads wait), and releases it at
     * the end. The steps between check-ins form a loop of their own: with a call in the step loop,
     * the JIT no longer compiled it as a counted loop, and one thread under the GIL ran at 0.6x.
     */
    public static long count(long n, Gil gil) {
        return gil.run(() -> {
            long x = SEED;
            for (long i = 0; i < n; i += 64) {
                gil.checkpoint();
                x = steps(x, i, Math.min(n, i + 64));
            }
            return x;
        });
    }

    /** Keeps the calling thread busy on the CPU for about {@code ms} milliseconds (wall time); returns a mixed value. */
    public static long spin(double ms) {
        long end = System.nanoTime() + Math.round(ms * 1e6);
        long acc = 0;
        while (System.nanoTime() < end) acc += count(1000);
        return acc;
    }
}
