package org.threadlab.grading.exercises;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@code ./threadlab bench load [windows]}: how busy this machine is, read as the grader's timing
 * tests read it ({@link WallTime}, the parallel sum's speed test): the share of the time in which
 * some task waited for a CPU, over 40 ms windows of a plain loop running alone (Linux's
 * {@code /proc/pressure/cpu}). Below {@link WallTime#QUIET} a slow run counts against a student's
 * code; above it, the test is NOT JUDGED. Run it on a grading server, quiet and with a class on it,
 * to see whether its timing tests can judge. Median and most of {@code windows} (default 25).
 *
 * <pre>{@code java -cp bench/target/classes:bench/target/lib/* org.threadlab.grading.exercises.LoadBench 25}</pre>
 */
public final class LoadBench {
    private LoadBench() {}

    public static void main(String[] args) {
        int windows = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        long[] data = ParallelSumTests.random(4_000_000, 7);
        double[] shares = new double[windows];
        for (int i = 0; i < windows; i++) {
            CpuPressure load = new CpuPressure();
            ParallelSumTests.Timing.loadWindow(load, data);
            shares[i] = load.waitedShare();
        }
        if (Double.isNaN(shares[0])) {
            System.out.println("this kernel does not report CPU pressure (/proc/pressure/cpu): timing tests judge no slow run here");
            return;
        }
        Arrays.sort(shares);
        long judging = Arrays.stream(shares).filter(WallTime::blamesTheCode).count();
        System.out.printf(Locale.ROOT, "%d cores, %d windows of 40 ms of a plain loop: some task waited for a core %.1f %% of the time "
                        + "(median), %.1f %% (most); %d of %d windows quiet enough (under %.0f %%) for a slow run to count%n",
                Runtime.getRuntime().availableProcessors(), windows, 100 * shares[windows / 2], 100 * shares[windows - 1],
                judging, windows, 100 * WallTime.QUIET);
    }
}
