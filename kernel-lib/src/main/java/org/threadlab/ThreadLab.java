package org.threadlab;

/**
 * The helper library's front door: short static calls for notebook cells. ThreadLab's kernel
 * imports {@code static org.threadlab.ThreadLab.*} into every cell; in stock JJava or IJava load the
 * jars with {@code %jars} and add that import yourself.
 *
 * <pre>{@code
 * import static org.threadlab.ThreadLab.*;
 * ps();                       // the threads of this JVM, like ps -T -p PID
 * }</pre>
 */
public final class ThreadLab {
    private ThreadLab() {}

    // ---- sizes: small in the test suite, full in class ----

    /**
     * {@code "ci"} when notebooks run headless in the test suite, {@code "class"} otherwise
     * (the environment variable {@code THREADLAB_PROFILE}; the test runner sets it to ci).
     */
    public static String profile() {
        String p = System.getenv("THREADLAB_PROFILE");
        return p == null || p.isBlank() ? "class" : p.trim();
    }

    /**
     * Picks an experiment's size: {@code small} in the test suite, {@code full} in class.
     * <pre>{@code int tasks = sized(20, 100);   // 20 under ./threadlab test, 100 in class}</pre>
     */
    public static int sized(int small, int full) {
        return profile().equals("ci") ? small : full;
    }

    /** {@link #sized(int, int)} for large counts. */
    public static long sized(long small, long full) {
        return profile().equals("ci") ? small : full;
    }

    // ---- seeing: threads, processes, the machine, limits (org.threadlab.os) ----

    // ---- doing: threads, processes, IPC, timing, charts (org.threadlab.run, .ipc, .time, .chart) ----

    // ---- doing: timing, GIL, charts, progress (org.threadlab.time, org.threadlab.chart) ----

    /**
     * Runs {@code block} once and times it: wall time, CPU time of this JVM, CPU time of ended
     * child processes (all in ms).
     * <pre>{@code time(() -> countTo(100_000_000))   // a table; .wallMs(), .cpuMs(), .result()}</pre>
     */
    public static org.threadlab.time.Timing<Void> time(Runnable block) {
        return org.threadlab.time.Timing.of(block);
    }

    /** {@link #time(Runnable)} keeping the block's result: {@code time(() -> sum(list)).result()}. */
    public static <T> org.threadlab.time.Timing<T> time(java.util.concurrent.Callable<T> block) {
        return org.threadlab.time.Timing.of(block);
    }

    /**
     * Repeats {@code block} after warm-up runs and gives min, median, max and spread in ms (runs
     * picked from the first run's length: about a second of measuring, 3 runs for slow blocks).
     * <pre>{@code bench(() -> countTo(1_000_000)).medianMs()}</pre>
     */
    public static org.threadlab.time.Stats bench(Runnable block) {
        return org.threadlab.time.Bench.bench(block);
    }

    /** {@link #bench(Runnable)} for a block with a result (kept, so the JIT cannot drop the work). */
    public static org.threadlab.time.Stats bench(java.util.concurrent.Callable<?> block) {
        return org.threadlab.time.Bench.bench(block);
    }

    /** Times {@code runs} runs of {@code block} after {@code warmup} unmeasured ones: {@code bench(2, 7, () -> work())}. */
    public static org.threadlab.time.Stats bench(int warmup, int runs, Runnable block) {
        return org.threadlab.time.Bench.bench(warmup, runs, block);
    }

    /** {@link #bench(int, int, Runnable)} for a block with a result. */
    public static org.threadlab.time.Stats bench(int warmup, int runs, java.util.concurrent.Callable<?> block) {
        return org.threadlab.time.Bench.bench(warmup, runs, block);
    }

    /** A named way of doing the work, for {@link #compare}: {@code variant("4 threads", () -> run(4))}. */
    public static org.threadlab.time.Variant variant(String name, Runnable work) {
        return org.threadlab.time.Variant.of(name, work);
    }

    /** {@link #variant(String, Runnable)} for work with a result. */
    public static org.threadlab.time.Variant variant(String name, java.util.concurrent.Callable<?> work) {
        return org.threadlab.time.Variant.of(name, work);
    }

    /**
     * Times every variant (1 warm-up, 5 runs each, interleaved) and tables their medians with the
     * speed-up against the first; {@code .chart()} draws it.
     * <pre>{@code compare(variant("1 thread", () -> work(1)), variant("2 threads", () -> work(2)))}</pre>
     */
    public static org.threadlab.time.Comparison compare(org.threadlab.time.Variant... variants) {
        return org.threadlab.time.Bench.compare(variants);
    }

    /** {@link #compare(org.threadlab.time.Variant...)} with {@code warmup} and {@code runs} per variant. */
    public static org.threadlab.time.Comparison compare(int warmup, int runs, org.threadlab.time.Variant... variants) {
        return org.threadlab.time.Bench.compare(warmup, runs, variants);
    }

    /**
     * A simulated Python GIL with CPython's 5 ms switch interval: only one thread runs inside
     * {@code gil.run(..)} at a time; loops call {@code gil.checkpoint()}; {@code gil.io(..)} and
     * {@code gil.sleep(ms)} release it around waiting.
     * <pre>{@code var gil = gil(); gil.run(() -> countTo(1_000_000, gil)); gil.stats()}</pre>
     */
    public static org.threadlab.time.Gil gil() {
        return new org.threadlab.time.Gil();
    }

    /** A simulated GIL handing over every {@code switchIntervalMs} ms (Python's sys.setswitchinterval). */
    public static org.threadlab.time.Gil gil(double switchIntervalMs) {
        return new org.threadlab.time.Gil(switchIntervalMs);
    }

    /** CPU-bound work: counts to {@code n} (about 1-2 ns a step); returns a value to keep the JIT honest. */
    public static long countTo(long n) {
        return org.threadlab.time.Work.count(n);
    }

    /** {@link #countTo(long)} inside a simulated GIL, checking in at every step. */
    public static long countTo(long n, org.threadlab.time.Gil gil) {
        return org.threadlab.time.Work.count(n, gil);
    }

    /** Keeps the calling thread busy on a CPU for about {@code ms} milliseconds. */
    public static long busyFor(double ms) {
        return org.threadlab.time.Work.spin(ms);
    }

    /** A bar chart, one bar per entry: {@code bar("Time", Map.of("a", 410, "b", 205), "wall time (ms)")}. */
    public static org.threadlab.chart.Chart bar(String title, java.util.Map<String, ? extends Number> values, String valueLabel) {
        return org.threadlab.chart.Charts.bar(title, values, valueLabel);
    }

    /** A bar chart of a comparison's medians, labelled with their speed-ups. */
    public static org.threadlab.chart.Chart bar(org.threadlab.time.Comparison comparison) {
        return org.threadlab.chart.Charts.bar(comparison);
    }

    /** A bar chart of the medians of named {@code bench} results ({@code stats.named("4 threads")}). */
    public static org.threadlab.chart.Chart bar(String title, java.util.List<org.threadlab.time.Stats> stats) {
        return org.threadlab.chart.Charts.bar(title, stats);
    }

    /**
     * Speed-up against threads from the time of each thread count, with the ideal line and the
     * machine's core count marked: {@code speedup("Counting", Map.of(1, 800.0, 2, 410.0, 4, 405.0))}.
     */
    public static org.threadlab.chart.Chart speedup(String title, java.util.Map<Integer, ? extends Number> timeByThreads) {
        return org.threadlab.chart.Charts.speedup(title, timeByThreads, Runtime.getRuntime().availableProcessors());
    }

    /** {@link #speedup(String, java.util.Map)} marking {@code cores} cores. */
    public static org.threadlab.chart.Chart speedup(String title, java.util.Map<Integer, ? extends Number> timeByThreads, int cores) {
        return org.threadlab.chart.Charts.speedup(title, timeByThreads, cores);
    }

    /** Horizontal bars of throughput: {@code throughput("IPC", Map.of("pipe", 900, "socket", 600), "MB/s")}. */
    public static org.threadlab.chart.Chart throughput(String title, java.util.Map<String, ? extends Number> perSecond, String unit) {
        return org.threadlab.chart.Charts.throughput(title, perSecond, unit, false);
    }

    /** {@link #throughput(String, java.util.Map, String)} on a log scale when {@code log}. */
    public static org.threadlab.chart.Chart throughput(String title, java.util.Map<String, ? extends Number> perSecond, String unit, boolean log) {
        return org.threadlab.chart.Charts.throughput(title, perSecond, unit, log);
    }

    /** Lines through points, one per named series: {@code line("t", "threads", "ms", Map.of("a", Map.of(1, 5, 2, 3)))}. */
    public static org.threadlab.chart.Chart line(String title, String xLabel, String yLabel,
                                                 java.util.Map<String, ? extends java.util.Map<? extends Number, ? extends Number>> series) {
        return org.threadlab.chart.Charts.line(title, xLabel, yLabel, series);
    }

    /** The activity timeline: one row per thread grouped by process, time across, coloured by state or CPU. */
    public static org.threadlab.chart.Chart timeline(java.util.List<org.threadlab.display.Activity> activities) {
        return org.threadlab.chart.Charts.timeline(activities);
    }

    /** {@link #timeline(java.util.List)} with a title. */
    public static org.threadlab.chart.Chart timeline(String title, java.util.List<org.threadlab.display.Activity> activities) {
        return org.threadlab.chart.Charts.timeline(title, activities);
    }

    /**
     * A progress bar of {@code total} steps, updated in place in a notebook, as text lines elsewhere.
     * <pre>{@code try (var p = progress("tasks", 100)) { for (...) { work(); p.step(); } }}</pre>
     */
    public static org.threadlab.time.Progress progress(String label, long total) {
        return org.threadlab.time.Progress.start(label, total);
    }

    /** Goes through {@code items} with a progress bar: {@code for (var f : progress("files", files)) ...}. */
    public static <T> Iterable<T> progress(String label, java.util.Collection<T> items) {
        return org.threadlab.time.Progress.over(label, items);
    }

    // ---- grading ----

    /** Exercise bank-account: {@code check(BANK_ACCOUNT, BankAccount::new)}. */
    public static final org.threadlab.grading.Exercise<java.util.function.LongFunction<org.threadlab.grading.exercises.Account>> BANK_ACCOUNT =
            org.threadlab.grading.Exercises.BANK_ACCOUNT;
    /** Exercise bounded-buffer: {@code check(BOUNDED_BUFFER, BoundedBuffer::new)}. */
    public static final org.threadlab.grading.Exercise<java.util.function.IntFunction<org.threadlab.grading.exercises.Buffer<Integer>>> BOUNDED_BUFFER =
            org.threadlab.grading.Exercises.BOUNDED_BUFFER;
    /** Exercise parallel-sum: {@code check(PARALLEL_SUM, ParallelSum::sum)}. */
    public static final org.threadlab.grading.Exercise<org.threadlab.grading.exercises.ArraySum> PARALLEL_SUM =
            org.threadlab.grading.Exercises.PARALLEL_SUM;

    /**
     * Runs the visible tests of an exercise against your implementation and shows a table of
     * test, points, pass/fail and why: {@code check(BANK_ACCOUNT, BankAccount::new)}. Every test
     * has a time limit, so a deadlock costs points, not the notebook. The exercises are the
     * constants of {@link org.threadlab.grading.Exercises}.
     */
    public static <S> org.threadlab.display.Table check(org.threadlab.grading.Exercise<S> exercise, S implementation) {
        return org.threadlab.grading.Check.run(exercise, implementation);
    }
}
