package org.threadlab.time;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./threadlab bench lib}: the simulated GIL on the seeds' workload (100 tasks, each
 * counting to 1,000,000), against one thread and against plain threads. Prints medians and
 * ratios; Python's threads on this workload give about 1.0x, plain Java threads about the core
 * count.
 *
 * <pre>{@code java -cp kernel-lib/target/classes:kernel-lib/target/lib/* org.threadlab.time.LibBench}</pre>
 */
public final class LibBench {
    private LibBench() {}

    static final int TASKS = 100;
    static final long COUNT = 1_000_000;

    public static void main(String[] args) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = Math.max(4, cores);
        Gil gil = new Gil();
        System.out.printf(Locale.ROOT, "== simulated GIL: %d tasks counting to %,d; %d threads; %d cores; switch interval %s ms ==%n",
                TASKS, COUNT, threads, cores, Units.ms(gil.switchIntervalMs()));
        long expected = Work.count(COUNT) * TASKS;

        Comparison c;
        try (ExecutorService plain = Executors.newFixedThreadPool(threads);
             ExecutorService underGil = gil.executor(threads)) {
            c = Bench.compare(2, 7,
                    Variant.of("1 thread", () -> check(expected, sequential(null))),
                    Variant.of("1 thread, GIL", () -> check(expected, sequential(gil))),
                    Variant.of(threads + " threads, GIL", () -> check(expected, pooled(underGil, gil))),
                    Variant.of(threads + " threads, no GIL", () -> check(expected, pooled(plain, null))));
            gil.resetStats();
            pooled(underGil, gil);
        }
        System.out.print(c);
        Gil.GilStats s = gil.stats();
        double gilRatio = c.speedup(threads + " threads, GIL");
        double plainRatio = c.speedup(threads + " threads, no GIL");
        System.out.println("ratios of medians (of minimums, which a busy machine disturbs less):");
        System.out.printf(Locale.ROOT, "%-44s %s (%s)   Python's threads: ~1.0x%n",
                "GIL, " + threads + " threads vs 1 thread:", Units.ratio(gilRatio), minRatio(c, threads + " threads, GIL"));
        System.out.printf(Locale.ROOT, "%-44s %s (%s)   check-in cost: 1.0x is free%n",
                "GIL, 1 thread vs 1 thread:", Units.ratio(c.speedup("1 thread, GIL")), minRatio(c, "1 thread, GIL"));
        System.out.printf(Locale.ROOT, "%-44s %s (%s)   goal: about the core count, %d%n",
                "no GIL, " + threads + " threads vs 1 thread:", Units.ratio(plainRatio), minRatio(c, threads + " threads, no GIL"), cores);
        System.out.printf(Locale.ROOT, "%-44s %d forced switches, %d hand-overs, most inside at once %d%n",
                "one GIL run:", s.forcedSwitches(), s.handoffs(), s.maxInside());

        // hand-over: long tasks, so the holder must give the GIL up at check-ins for others to run
        long longCount = 30_000_000;
        System.out.printf(Locale.ROOT, "%n== hand-over: %d threads each counting to %,d under the GIL (median of 3) ==%n", threads, longCount);
        for (boolean fair : new boolean[] {true, false}) {
            double[] maxWait = new double[3];
            Gil.GilStats last = null;
            for (int r = 0; r < 3; r++) {
                Gil g = new Gil(5, fair);
                try (ExecutorService pool = g.executor(threads)) {
                    List<Future<Long>> fs = new ArrayList<>();
                    for (int t = 0; t < threads; t++) fs.add(pool.submit(() -> Work.count(longCount, g)));
                    for (Future<Long> f : fs) f.get();
                }
                last = g.stats();
                maxWait[r] = last.maxWaitMs();
            }
            Stats w = new Stats(null, 0, maxWait);
            System.out.printf(Locale.ROOT, "%-44s longest wait %s ms, %d hand-overs, %d forced switches (last run)%n",
                    fair ? "fair (CPython 3.2+), 5 ms:" : "unfair (Python 2 style), 5 ms:", Units.ms(w.medianMs()),
                    last.handoffs(), last.forcedSwitches());
        }
        System.out.printf(Locale.ROOT, "%-44s about (threads - 1) x 5 ms = %d ms when fair; a whole task when not%n",
                "goal:", (threads - 1) * 5);
    }

    private static String minRatio(Comparison c, String name) {
        return Units.ratio(c.baseline().minMs() / c.get(name).minMs());
    }

    /** All tasks one after the other on this thread; with a GIL, each task takes it like a Python thread would. */
    static long sequential(Gil gil) {
        long sum = 0;
        for (int t = 0; t < TASKS; t++) sum += gil == null ? Work.count(COUNT) : Work.count(COUNT, gil);
        return sum;
    }

    /** All tasks on a pool; with a GIL the tasks check in at every step. */
    static long pooled(ExecutorService pool, Gil gil) throws Exception {
        List<Future<Long>> fs = new ArrayList<>(TASKS);
        for (int t = 0; t < TASKS; t++) {
            fs.add(pool.submit(() -> gil == null ? Work.count(COUNT) : Work.count(COUNT, gil)));
        }
        long sum = 0;
        for (Future<Long> f : fs) sum += f.get();
        return sum;
    }

    /** Uses the result, so the JIT cannot drop the counting, and catches a broken variant. */
    private static long check(long expected, long got) {
        if (got != expected) throw new IllegalStateException("a variant computed " + got + ", expected " + expected);
        return got;
    }
}
