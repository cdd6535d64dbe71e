package org.threadlab.grading.exercises;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Visible tests of parallel-sum. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ParallelSumTests {
    private final ArraySum sum = Exercises.PARALLEL_SUM.subject();

    static long[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = r.nextLong(-1_000_000, 1_000_000);
        return a;
    }

    static long plainSum(long[] a) {
        long s = 0;
        for (long v : a) s += v;
        return s;
    }

    @Test
    @Order(1)
    @Points(1)
    @Timeout(5)
    @DisplayName("small arrays, more threads than items")
    void small() {
        assertEquals(0, sum.sum(new long[0], 1), "the sum of an empty array is 0");
        assertEquals(0, sum.sum(new long[0], 4), "the sum of an empty array is 0, whatever the number of threads");
        assertEquals(5, sum.sum(new long[]{5}, 4), "sum([5]) with 4 threads should be 5: some threads get no items, which is fine");
        long[] seven = {3, -1, 4, -1, 5, -9, 2};
        for (int t = 1; t <= 9; t++) {
            assertEquals(3, sum.sum(seven, t), "sum(" + Arrays.toString(seven) + ") with " + t + " threads should be 3; "
                    + "check how you split the array when its length is not a multiple of the number of threads");
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(10)
    @DisplayName("large arrays with 1 to 8 threads")
    void large() {
        long[] a = random(1_000_003, 42);
        long expected = plainSum(a);
        for (int t : new int[]{1, 2, 3, 4, 7, 8}) {
            long got = sum.sum(a, t);
            assertEquals(expected, got, "the sum of 1,000,003 numbers with " + t + " threads should be " + expected + " but was "
                    + got + "; are parts of the array skipped or counted twice, or the threads' results added before they finished (join them first)?");
        }
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(40)
    @DisplayName("the work is done by the threads it starts, not by the caller")
    void workOnOtherThreads() {
        // CPU time, not wall time: what each thread computed does not depend on how busy the machine is,
        // so this is judged on any machine, one core included
        long[] a = random(4_000_000, 11);
        long expected = plainSum(a);
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < 3; i++) {
            Timing.sink = plainSum(a);
            Timing.sink = sum.sum(a, 4);
        }
        // 30 calls per sample: the process's CPU time is counted in clock ticks (10 ms), one call takes a few ms
        int calls = 30;
        long[] loop = new long[5], caller = new long[5], others = new long[5];
        for (int i = 0; i < 5; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            for (int k = 0; k < calls; k++) Timing.sink = plainSum(a);
            long c1 = mx.getCurrentThreadCpuTime();
            long p1 = os.getProcessCpuTime();
            long got = 0;
            for (int k = 0; k < calls; k++) got = sum.sum(a, 4);
            long c2 = mx.getCurrentThreadCpuTime();
            long p2 = os.getProcessCpuTime();
            assertEquals(expected, got, "the sum with 4 threads is wrong");
            loop[i] = c1 - c0;
            caller[i] = c2 - c1;
            others[i] = (p2 - p1) - (c2 - c1);
        }
        Arrays.sort(loop);
        Arrays.sort(caller);
        Arrays.sort(others);
        double mine = (double) caller[2] / loop[2], theirs = (double) others[2] / loop[2];
        if (mine > 0.5 || theirs < 0.4) {
            fail(String.format(Locale.ROOT, "with 4 threads, the calling thread itself used %.0f%% of the CPU time a plain loop "
                    + "needs, and other threads %.0f%% (medians of 5 samples of 30 calls): the work must be done by the threads you start, "
                    + "each adding up its own part, while the caller only starts and joins them", 100 * mine, 100 * theirs));
        }
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(40)
    @DisplayName("faster than one thread when there is more than one core")
    void faster() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        long[] a = random(4_000_000, 7);
        long expected = plainSum(a);
        int threads = Math.min(cores, 4);
        long got = sum.sum(a, threads);
        assertEquals(expected, got, "the sum with " + threads + " threads is wrong (" + got + " instead of " + expected + ")");
        Assumptions.assumeTrue(cores > 1, "this machine has 1 core, so no parallel speed-up is possible; only correctness was checked");
        String verdict = null;
        Timing close = null, busy = null;
        int judged = 0;
        // Other gradings running at the same time would spoil the timings: measure one at a time.
        // One slow attempt next to a fast reference can be a burst of load that hit only the
        // student's runs, so a FAIL needs two attempts that are clearly not parallel; an attempt
        // between a pass and that says nothing, and without two such FAILs the test is NOT JUDGED.
        try (Timing.Lock lock = Timing.Lock.acquire()) {
            for (int attempt = 0; attempt < 5 && judged < 2; attempt++) {
                Timing t = Timing.measure(a, threads, sum);
                switch (t.verdict()) {
                    case PASS -> {
                        return;
                    }
                    case FAIL -> {
                        judged++;
                        verdict = t.explain(threads);
                    }
                    case UNCLEAR -> {
                        if (t.busy()) busy = t;
                        else close = t;
                    }
                }
            }
        }
        if (judged >= 2) fail(verdict);
        if (close != null) {
            Assumptions.abort(String.format(Locale.ROOT, "the speed-up was too close to call on this machine now: your sum took %.2f ms, "
                    + "the plain loop %.2f ms and a parallel sum known to be right %.2f ms (medians of %d runs)%s; only correctness was checked",
                    close.studentMs(), close.sequentialMs(), close.referenceMs(), Timing.RUNS, close.load()));
        }
        if (busy != null && busy.quiet()) {
            // nothing else wanted the CPUs, yet threads did not help: the sum is held up by memory, not by the cores
            Assumptions.abort(String.format(Locale.ROOT, "on this machine even a parallel sum known to be right was not faster than "
                    + "the plain loop (%.2f ms against %.2f ms), though no other program was waiting for the cores: adding up an array "
                    + "is most likely held up by how fast memory delivers it, which more cores do not always raise; only correctness was checked",
                    busy.referenceMs(), busy.sequentialMs()));
        }
        Assumptions.abort("the machine was too busy to measure a speed-up (even a known-good parallel sum was not faster "
                + "than the plain loop" + (busy == null ? "" : busy.load()) + "); only correctness was checked");
    }

    /**
     * Medians of interleaved runs of the plain loop, a known-good parallel sum (new threads per
     * call, like a student's) and the student's sum. The known-good one shows what speed-up the
     * machine allows right now; the student's must get at least half of it.
     */
    record Timing(double sequentialMs, double referenceMs, double studentMs, double callerCpuShare, double waitedShare) {
        static final int RUNS = 7;
        static volatile long sink;

        enum Verdict { PASS, FAIL, UNCLEAR }

        boolean busy() {
            return referenceMs > 0.85 * sequentialMs;
        }

        /**
         * FAIL when this attempt shows plainly that the sum is not parallel: the calling thread did
         * nearly all of a plain loop's work itself (CPU time, which the load does not change; judged
         * on any machine), or, on a machine where nothing waited for a CPU, the sum was no faster than
         * the plain loop while the known-good one was clearly faster. PASS when it was about as fast
         * as the known-good one. Else UNCLEAR: a busy machine, or a result that noise can explain.
         */
        Verdict verdict() {
            if (callerCpuShare > 0.9) return Verdict.FAIL;
            if (busy()) return Verdict.UNCLEAR;
            if (passes()) return Verdict.PASS;
            if (quiet() && studentMs >= 0.95 * sequentialMs && referenceMs <= 0.75 * sequentialMs) return Verdict.FAIL;
            return Verdict.UNCLEAR;
        }

        /**
         * Nothing on the machine waited for a CPU while the plain loop ran alone just before and
         * after the timed runs ({@link #loadWindow}); unknown counts as not quiet. Beside other
         * programs, a sum that starts threads per call waits for a free core at every start, so it
         * can lose to the reference by a wide margin for no fault of its own (a right fixed-pool
         * answer did, in two attempts, in a CI run at load 10 on two cores).
         */
        boolean quiet() {
            return WallTime.blamesTheCode(waitedShare);
        }

        /** The load during the attempt, for a message: empty when quiet. */
        String load() {
            if (Double.isNaN(waitedShare)) return ", and this machine does not report how busy it was";
            if (quiet()) return "";
            return String.format(Locale.ROOT, ", while threads on this machine waited for a free core %.0f%% of the time", 100 * waitedShare);
        }

        boolean passes() {
            double allowed = Math.min(0.9, (1 + referenceMs / sequentialMs) / 2);
            // Wall times alone can flatter a plain loop on a noisy machine, so the calling thread's own
            // CPU time decides too: a parallel sum hands most of the work to other threads (a share
            // near 1/threads, or 0 when the caller only joins); a plain loop keeps all of it (1.0).
            return studentMs <= allowed * sequentialMs && callerCpuShare <= 0.75;
        }

        String explain(int threads) {
            return String.format(Locale.ROOT, "with %d threads your sum took %.2f ms (median of %d runs), the plain loop %.2f ms "
                            + "and a parallel sum known to be right %.2f ms, and the calling thread itself did %.0f%% of a plain loop's work: "
                            + "yours is not parallel enough. Split the array into one "
                            + "part per thread and start all threads before joining any.",
                    threads, studentMs, RUNS, sequentialMs, referenceMs, 100 * callerCpuShare);
        }

        static Timing measure(long[] a, int threads, ArraySum s) throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                sink = plainSum(a);
                sink = referenceSum(a, threads);
                sink = s.sum(a, threads);
            }
            double[] seq = new double[RUNS];
            double[] ref = new double[RUNS];
            double[] stu = new double[RUNS];
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long seqCpu = 0, stuCpu = 0;
            CpuPressure load = new CpuPressure();
            loadWindow(load, a);
            for (int i = 0; i < RUNS; i++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                sink = plainSum(a);
                long t1 = System.nanoTime();
                long c1 = mx.getCurrentThreadCpuTime();
                sink = referenceSum(a, threads);
                long t2 = System.nanoTime();
                long c2 = mx.getCurrentThreadCpuTime();
                sink = s.sum(a, threads);
                long t3 = System.nanoTime();
                long c3 = mx.getCurrentThreadCpuTime();
                seq[i] = (t1 - t0) / 1e6;
                ref[i] = (t2 - t1) / 1e6;
                stu[i] = (t3 - t2) / 1e6;
                seqCpu += c1 - c0;
                stuCpu += c3 - c2;
            }
            loadWindow(load, a);
            double waited = load.waitedShare();
            Arrays.sort(seq);
            Arrays.sort(ref);
            Arrays.sort(stu);
            return new Timing(seq[RUNS / 2], ref[RUNS / 2], stu[RUNS / 2], seqCpu > 0 ? (double) stuCpu / seqCpu : 0, waited);
        }

        /**
         * The machine's load just before or after the timed runs, read while only one thread of ours
         * runs (the plain loop), so that whatever waits for a CPU then is other programs' doing. 40 ms:
         * the kernel weighs each core's stall by its busy time in whole clock ticks, so a read over a
         * millisecond or two counts nothing.
         */
        static void loadWindow(CpuPressure load, long[] a) {
            load.start();
            long end = System.nanoTime() + 40_000_000L;
            do {
                sink = plainSum(a);
            } while (System.nanoTime() < end);
            load.stop();
        }

        static long referenceSum(long[] data, int threads) throws InterruptedException {
            long[] partial = new long[threads];
            Thread[] ts = new Thread[threads];
            int chunk = (data.length + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                int from = Math.min(data.length, t * chunk);
                int to = Math.min(data.length, from + chunk);
                int n = t;
                ts[t] = new Thread(() -> {
                    long s = 0;
                    for (int i = from; i < to; i++) s += data[i];
                    partial[n] = s;
                });
                ts[t].setDaemon(true);
                ts[t].start();
            }
            long total = 0;
            for (int t = 0; t < threads; t++) {
                ts[t].join();
                total += partial[t];
            }
            return total;
        }

        /** A machine-wide lock (a file lock), given up on after a while so a stuck holder cannot block us. */
        static final class Lock implements AutoCloseable {
            private final java.nio.channels.FileChannel channel;
            private final java.nio.channels.FileLock lock;

            private Lock(java.nio.channels.FileChannel channel, java.nio.channels.FileLock lock) {
                this.channel = channel;
                this.lock = lock;
            }

            static Lock acquire() {
                try {
                    var path = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "threadlab-timing.lock");
                    var ch = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.WRITE);
                    long deadline = System.nanoTime() + 15_000_000_000L;
                    while (System.nanoTime() < deadline) {
                        var l = ch.tryLock();
                        if (l != null) return new Lock(ch, l);
                        Thread.sleep(50);
                    }
                    return new Lock(ch, null);
                } catch (Exception e) {
                    return new Lock(null, null);
                }
            }

            @Override
            public void close() {
                try {
                    if (lock != null) lock.release();
                    if (channel != null) channel.close();
                } catch (Exception ignored) {
                    // the lock goes with the channel or the process anyway
                }
            }
        }
    }
}
