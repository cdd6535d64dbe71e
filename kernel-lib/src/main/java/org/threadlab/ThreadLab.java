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
 *
 * <p>Grading ({@code check(EXERCISE, implementation)} and the exercise constants) is not here: it
 * runs JUnit, and lives in the grading module's facade {@code org.threadlab.grading.Grading}, which the
 * ThreadLab kernel imports too. This library has no JUnit on its class path.
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

    /**
     * The OS threads of this JVM, where the cell runs (like {@code ps -T -p PID}), each matched to
     * its Java thread: TID, state, CPU times, last CPU, context switches, Java name, cell.
     * <pre>{@code
     * ps();                                              // table of every thread
     * ps().application();                                // only threads that code or cells started
     * ps().filter(t -> t.state() == 'R').size();         // how many are running now
     * }</pre>
     */
    public static org.threadlab.os.ThreadList ps() {
        return org.threadlab.os.Os.threads();
    }

    /**
     * The OS threads of process {@code pid}.
     * <pre>{@code ps(proc().ppid());   // the threads of the kernel's parent}</pre>
     */
    public static org.threadlab.os.ThreadList ps(long pid) {
        return org.threadlab.os.Os.threads(pid);
    }

    /**
     * The virtual threads of this JVM (no OS tool lists them), with the carrier each mounted one runs on.
     * <pre>{@code
     * for (int i = 0; i < 100; i++) Thread.ofVirtual().start(() -> { try { Thread.sleep(3000); } catch (InterruptedException e) {} });
     * vthreads();            // 100 rows, none mounted while they sleep
     * }</pre>
     */
    public static org.threadlab.os.VirtualThreadList vthreads() {
        return org.threadlab.os.Os.virtualThreads();
    }

    /**
     * This JVM as a process: command line, state, parent, threads, RSS, CPU.
     * <pre>{@code proc().threads();   // how many OS threads this JVM has}</pre>
     */
    public static org.threadlab.os.ProcessInfo proc() {
        return org.threadlab.os.Os.process();
    }

    /**
     * Process {@code pid}.
     * <pre>{@code proc(1).commandLine();   // what runs as PID 1}</pre>
     */
    public static org.threadlab.os.ProcessInfo proc(long pid) {
        return org.threadlab.os.Os.process(pid);
    }

    /**
     * The child processes of this JVM.
     * <pre>{@code
     * Process p = new ProcessBuilder("sleep", "5").start();
     * children();          // shows the sleep
     * }</pre>
     */
    public static org.threadlab.os.ProcessList children() {
        return org.threadlab.os.Os.children();
    }

    /**
     * Like {@code ps --forest}: PID 1 down to this JVM, then all its descendants, with thread counts.
     * <pre>{@code pstree();}</pre>
     */
    public static org.threadlab.os.ProcessTree pstree() {
        return org.threadlab.os.Os.tree();
    }

    /**
     * Process {@code root} and all its descendants.
     * <pre>{@code pstree(1);   // the whole machine (that you may see)}</pre>
     */
    public static org.threadlab.os.ProcessTree pstree(long root) {
        return org.threadlab.os.Os.tree(root);
    }

    /**
     * The machine, like {@code lscpu}: CPU model, cores, logical CPUs, SMT, caches, memory, OS, JVM.
     * <pre>{@code machine().logicalCpus();}</pre>
     */
    public static org.threadlab.os.Machine machine() {
        return org.threadlab.os.Os.machine();
    }

    /**
     * Limits on threads (threads-max, pid_max, ulimit -u, stack sizes...) and how many more fit.
     * <pre>{@code limits().moreThreads();}</pre>
     */
    public static org.threadlab.os.Limits limits() {
        return org.threadlab.os.Os.limits();
    }

    /**
     * Samples the threads of the cells every 10 ms while {@code body} runs.
     * <pre>{@code
     * var s = watch(() -> { Thread t = new Thread(() -> { long x = 0; for (long i = 0; i < 300_000_000L; i++) x += i; }); t.start(); t.join(); });
     * s;                  // one line per thread: its states over time
     * s.activities();     // stretches for a timeline chart
     * }</pre>
     */
    public static org.threadlab.os.Samples watch(org.threadlab.os.Body body) {
        return watch(10, body);
    }

    /**
     * Samples the threads of the cells (in a notebook; elsewhere the application's threads, never
     * JVM machinery) every {@code everyMs} ms while {@code body} runs.
     * <pre>{@code watch(5, () -> work());}</pre>
     */
    public static org.threadlab.os.Samples watch(int everyMs, org.threadlab.os.Body body) {
        return org.threadlab.os.Os.watch(org.threadlab.os.Os.self(), everyMs, org.threadlab.os.Monitor.cellThreads(), body);
    }

    /**
     * A live table of the threads your cells started, updated in place every 500 ms; it stops
     * when they have all ended, after 60 s, or on {@code stop()}.
     * <pre>{@code
     * var m = monitor();
     * new Thread(() -> { try { Thread.sleep(3000); } catch (InterruptedException e) {} }, "sleepy").start();
     * }</pre>
     */
    public static org.threadlab.os.Monitor monitor() {
        return monitor(500);
    }

    /**
     * {@link #monitor()} updating every {@code everyMs} ms.
     * <pre>{@code var m = monitor(200); ...; m.stop();}</pre>
     */
    public static org.threadlab.os.Monitor monitor(int everyMs) {
        return org.threadlab.os.Os.monitor(everyMs);
    }

    /**
     * Runs {@code body} while a live table of the cell's threads updates every 200 ms; stops after it.
     * <pre>{@code monitor(() -> { var ts = new ArrayList<Thread>(); for (int i = 0; i < 4; i++) { Thread t = new Thread(() -> { long x = 0; for (long k = 0; k < 500_000_000L; k++) x += k; }); ts.add(t); t.start(); } for (Thread t : ts) t.join(); });}</pre>
     */
    public static org.threadlab.os.Monitor monitor(org.threadlab.os.Body body) {
        return org.threadlab.os.Monitor.during(200, body);
    }

    /**
     * A live table of the threads of another process {@code pid}, every {@code everyMs} ms, until it exits or 60 s pass.
     * <pre>{@code Process p = new ProcessBuilder("sleep", "3").start(); monitorProcess(p.pid(), 500);}</pre>
     */
    public static org.threadlab.os.Monitor monitorProcess(long pid, int everyMs) {
        return org.threadlab.os.Os.monitor(pid, everyMs, t -> true, org.threadlab.os.Monitor.MAX);
    }

    // ---- doing: threads, processes, IPC, timing, charts (org.threadlab.run, .ipc, .time, .chart) ----

    // ---- doing: threads, processes, IPC (org.threadlab.run, org.threadlab.ipc) ----

    /**
     * Starts {@code n} platform threads {@code worker-0..n-1}, thread i running {@code task.run(i)}
     * (Python: {@code threading.Thread(target=..)} started n times).
     * <pre>{@code var t = threads(4, i -> Tasks.countTo(1_000_000)).join();  t.results(); t.errors();}</pre>
     */
    public static <T> org.threadlab.run.Threads<T> threads(int n, org.threadlab.run.IndexedTask<? extends T> task) {
        return org.threadlab.run.Threads.start(n, task);
    }

    /**
     * {@link #threads} for a body that needs no index and returns nothing (Python's
     * {@code target=f} with no result): {@code threads(4, () -> System.out.println("hi")).join();}
     */
    public static org.threadlab.run.Threads<Void> threads(int n, Runnable body) {
        return org.threadlab.run.Threads.run(n, body);
    }

    /** {@link #threads(int, Runnable)} on virtual threads. */
    public static org.threadlab.run.Threads<Void> virtualThreads(int n, Runnable body) {
        return org.threadlab.run.Threads.runVirtual(n, body);
    }

    /** {@link #threads} with virtual threads {@code virtual-0..n-1}. */
    public static <T> org.threadlab.run.Threads<T> virtualThreads(int n, org.threadlab.run.IndexedTask<? extends T> task) {
        return org.threadlab.run.Threads.startVirtual(n, task);
    }

    /**
     * A pool of {@code n} threads with an order-preserving {@code map} (Python: {@code ThreadPool(n)}).
     * <pre>{@code try (var pool = threadPool(4)) { pool.map(List.of(1, 2, 3), x -> x * x); }}</pre>
     */
    public static org.threadlab.run.ThreadPool threadPool(int n) {
        return new org.threadlab.run.ThreadPool(n);
    }

    /**
     * Applies {@code fn} to every input on one thread per core and returns the results in input
     * order (Python: {@code ThreadPool().map(fn, inputs)}).
     * <pre>{@code pmap(List.of(1_000_000, 2_000_000), n -> Tasks.countTo(n));}</pre>
     */
    public static <A, R> java.util.List<R> pmap(java.util.List<A> inputs, java.util.function.Function<? super A, ? extends R> fn) {
        try (var pool = new org.threadlab.run.ThreadPool(Runtime.getRuntime().availableProcessors())) {
            return pool.map(inputs, fn);
        }
    }

    /**
     * Runs a program (no shell) and captures stdout, stderr, exit code, PID and duration
     * (Python: {@code subprocess.run(cmd, capture_output=True)}).
     * <pre>{@code run("ls", "-l").stdout();}</pre>
     */
    public static org.threadlab.run.CommandResult run(String... command) {
        return org.threadlab.run.Commands.run(java.util.List.of(command), null);
    }

    /** {@link #run(String...)} that kills the process tree after {@code timeout}. */
    public static org.threadlab.run.CommandResult run(java.time.Duration timeout, String... command) {
        return org.threadlab.run.Commands.run(java.util.List.of(command), timeout);
    }

    /**
     * One argument: a shell script for {@code /bin/sh -c} (pipes, {@code &}, {@code $$} work);
     * several: a program and its arguments, as {@link #run(String...)}.
     * <pre>{@code sh("echo $$; ps -o pid,ppid,cmd");   sh("ls", "-l");}</pre>
     */
    public static org.threadlab.run.CommandResult sh(String... command) {
        return command.length == 1 ? org.threadlab.run.Commands.sh(command[0]) : run(command);
    }

    /**
     * Threads A, B, ... run under a controlled scheduler, sharing the state {@code setup} makes
     * (fresh for every run): replay an interleaving, list every outcome, find the one that breaks
     * an invariant, deadlocks or never ends. See {@link org.threadlab.interleave.Interleaving}.
     * <pre>{@code
     * class Counter { int n; void inc() { int t = n; step(); n = t + 1; } }
     * var race = interleave(Counter::new, Counter::inc, Counter::inc);
     * race.schedule("ABAB");              // both read 0, both write 1: n=1
     * race.explore();                     // every outcome (n=2, n=1) with a schedule reaching it
     * race.firstFailure(c -> c.n == 2);   // the lost update, step by step
     * }</pre>
     */
    @SafeVarargs
    public static <S> org.threadlab.interleave.Interleaving<S> interleave(org.threadlab.interleave.Interleaving.Setup<S> setup,
                                                                          org.threadlab.interleave.Interleaving.Body<S>... threads) {
        return org.threadlab.interleave.Interleaving.of(setup, threads);
    }

    /**
     * A point where a replayed schedule ({@code interleave(...).schedule("ABAB")}) may switch
     * threads; does nothing elsewhere.
     */
    public static void step() {
        org.threadlab.interleave.Interleaving.step();
    }

    /**
     * Runs a serializable lambda in a child JVM with this class path (Python:
     * {@code multiprocessing.Process}); lambdas from cells work.
     * <pre>{@code var c = fork(() -> Tasks.countTo(1_000_000));  c.pid();  c.get(java.time.Duration.ofSeconds(10));}</pre>
     */
    public static <T> org.threadlab.run.ChildJvm<T> fork(org.threadlab.run.SerializableCallable<T> task) {
        return org.threadlab.run.ChildJvm.fork(task);
    }

    /** Runs {@code mainClass.main(args)} in a child JVM. */
    public static org.threadlab.run.ChildJvm<Void> forkMain(Class<?> mainClass, String... args) {
        return org.threadlab.run.ChildJvm.forkMain(mainClass, args);
    }

    /** Runs a public static method in a child JVM: {@code forkStatic(Tasks.class, "countTo", 1_000_000L)}. */
    public static <T> org.threadlab.run.ChildJvm<T> forkStatic(Class<?> type, String method, Object... args) {
        return org.threadlab.run.ChildJvm.forkStatic(type, method, args);
    }

    /**
     * Starts {@code n} reusable worker JVMs (Python: {@code multiprocessing.Pool(n)}).
     * <pre>{@code try (var pool = processPool(2)) { pool.map(List.of(1_000_000, 1_000_000), Tasks.countTo()); pool.report(); }}</pre>
     */
    public static org.threadlab.run.ProcessPool processPool(int n) {
        return new org.threadlab.run.ProcessPool(n);
    }

    /** Kills a process and all its descendants; returns the PIDs that were ended. */
    public static java.util.List<Long> killTree(long pid) {
        return org.threadlab.run.TreeKiller.kill(pid);
    }

    /** {@link #killTree(long)} for a handle ({@code process.toHandle()}, {@code child.process()}). */
    public static java.util.List<Long> killTree(ProcessHandle process) {
        return org.threadlab.run.TreeKiller.kill(process);
    }

    /** A pipe to and from an echoing child JVM: {@code try (var p = pipe()) { p.send("hi"); p.receiveString(); }} */
    public static org.threadlab.ipc.Pipe pipe() {
        return org.threadlab.ipc.Pipe.open();
    }

    /** A queue other processes put into over a loopback socket (Python: {@code multiprocessing.Queue}). */
    public static org.threadlab.ipc.SocketQueue socketQueue() {
        return org.threadlab.ipc.SocketQueue.create();
    }

    /** {@code bytes} of memory shared with other JVMs through a mapped file (Python: {@code shared_memory}). */
    public static org.threadlab.ipc.SharedMemory sharedMemory(int bytes) {
        return org.threadlab.ipc.SharedMemory.create(bytes);
    }

    /** A counter several processes increment atomically (Python: {@code multiprocessing.Value}). */
    public static org.threadlab.ipc.SharedCounter sharedCounter() {
        return org.threadlab.ipc.SharedCounter.create();
    }

    /** A dictionary served to other processes over a loopback socket (Python: {@code Manager().dict()}). */
    public static org.threadlab.ipc.RequestServer requestServer() {
        return org.threadlab.ipc.RequestServer.start();
    }

    /**
     * Sends {@code messages} numbered messages through each IPC path between this JVM and a
     * child JVM (pipe, socket queue, shared memory, shared counter, request server), checks none is
     * lost or reordered, and tabulates messages/s and latency.
     * <pre>{@code ipcCompare(sized(2_000, 10_000))}</pre>
     */
    public static org.threadlab.display.Table ipcCompare(int messages) {
        return org.threadlab.ipc.IpcMeasure.table(java.util.List.of(org.threadlab.ipc.Pipe.measure(messages),
                org.threadlab.ipc.SocketQueue.measure(messages), org.threadlab.ipc.SharedMemory.measure(messages),
                org.threadlab.ipc.SharedCounter.measure(messages), org.threadlab.ipc.RequestServer.measure(messages)));
    }

    // ---- doing: timing, GIL, charts, progress (org.threadlab.time, org.threadlab.chart) ----

    /**
     * Runs {@code block} once and times it: wall time, CPU time of this JVM, CPU time of ended
     * child processes (all in ms).
     * <pre>{@code time(() -> countTo(100_000_000))   // a table; .wallMs(), .cpuMs(), .result()}</pre>
     */
    public static org.threadlab.time.Timing<Void> time(org.threadlab.time.Block block) {
        return org.threadlab.time.Timing.of(block);
    }

    /** {@link #time(org.threadlab.time.Block)} keeping the block's result: {@code time(() -> sum(list)).result()}. */
    public static <T> org.threadlab.time.Timing<T> time(java.util.concurrent.Callable<T> block) {
        return org.threadlab.time.Timing.of(block);
    }

    /**
     * Repeats {@code block} after warm-up runs and gives min, median, max and spread in ms (runs
     * picked from the first run's length: about a second of measuring, 3 runs for slow blocks).
     * <pre>{@code bench(() -> countTo(1_000_000)).medianMs()}</pre>
     */
    public static org.threadlab.time.Stats bench(org.threadlab.time.Block block) {
        return org.threadlab.time.Bench.bench(block);
    }

    /** {@link #bench(org.threadlab.time.Block)} for a block with a result (kept, so the JIT cannot drop the work). */
    public static org.threadlab.time.Stats bench(java.util.concurrent.Callable<?> block) {
        return org.threadlab.time.Bench.bench(block);
    }

    /** Times {@code runs} runs of {@code block} after {@code warmup} unmeasured ones: {@code bench(2, 7, () -> work())}. */
    public static org.threadlab.time.Stats bench(int warmup, int runs, org.threadlab.time.Block block) {
        return org.threadlab.time.Bench.bench(warmup, runs, block);
    }

    /** {@link #bench(int, int, org.threadlab.time.Block)} for a block with a result. */
    public static org.threadlab.time.Stats bench(int warmup, int runs, java.util.concurrent.Callable<?> block) {
        return org.threadlab.time.Bench.bench(warmup, runs, block);
    }

    /** A named way of doing the work, for {@link #compare}: {@code variant("4 threads", () -> run(4))}. */
    public static org.threadlab.time.Variant variant(String name, org.threadlab.time.Block work) {
        return org.threadlab.time.Variant.of(name, work);
    }

    /** {@link #variant(String, org.threadlab.time.Block)} for work with a result. */
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

    /**
     * A simulated GIL with a choice of hand-over: {@code gil(5, false)} is Python 2's unfair GIL,
     * where a busy thread can take the lock straight back and starve the others.
     */
    public static org.threadlab.time.Gil gil(double switchIntervalMs, boolean fair) {
        return new org.threadlab.time.Gil(switchIntervalMs, fair);
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

    // ---- presentation mode, for live-coding in front of a class (org.threadlab.display) ----
    // (one block, so that other additions to the facade merge beside it)

    /**
     * Presentation mode on or off: larger code, tables and charts, charts as SVG that scale with the
     * page's zoom, {@code ps()} with your threads first (the JVM's with {@code ps().withMachinery()}).
     * Shows a one-line notice; switching again replaces it. The {@code %present on|off} magic does the same.
     * <pre>{@code
     * present(true);
     * ps();
     * present(false);
     * }</pre>
     */
    public static void present(boolean on) {
        org.threadlab.display.Presentation.switchTo(on);
    }

    /** {@code true} while presentation mode is on. */
    public static boolean presenting() {
        return org.threadlab.display.Presentation.on();
    }

    // ---- lessons: self-checks, predictions, verdicts from this run, sizes (org.threadlab.lesson) ----
    // (one block, so that other additions to the facade merge beside it)

    /**
     * Prints the machine's one-minute load average and cores, as each lecture does first: the
     * numbers a lecture measures depend on what else runs. Returns the load (-1 where the OS gives none).
     */
    public static double load() {
        System.out.println(org.threadlab.lesson.Sizes.loadLine());
        return org.threadlab.lesson.Sizes.loadAverage();
    }

    /**
     * An experiment's size: {@code full} in class, smaller in the headless test run (and times
     * {@code THREADLAB_SCALE} when set): {@code long steps = scaled(100_000_000);}.
     */
    public static long scaled(long full) {
        return org.threadlab.lesson.Sizes.scaled(full);
    }

    /** {@link #scaled(long)} for int sizes: {@code int tries = scaled(15);}. */
    public static int scaled(int full) {
        return org.threadlab.lesson.Sizes.scaled(full);
    }

    /**
     * Checks self-check question {@code n}; a {@code null} answer prints "not answered yet", and the
     * explanation {@code why} appears only once an answer is given:
     * {@code Integer answer1 = null; quiz(1, answer1, 1, "Every process has a thread.");}
     */
    public static void quiz(int n, Object answer, Object expected, String why) {
        org.threadlab.lesson.Quiz.question(n, answer, expected, why);
    }

    /**
     * Checks a question whose right answers are a range: {@code right} decides, and is not called
     * for a blank answer: {@code quiz(2, answer2, a -> Math.abs(a - 400) <= 50, "Two rounds of 200 ms.");}
     */
    public static <T> void quiz(int n, T answer, java.util.function.Predicate<? super T> right, String why) {
        org.threadlab.lesson.Quiz.question(n, answer, right, why);
    }

    /**
     * Compares a predicted choice with the outcome this run computed:
     * {@code checkPrediction(guess, faster("a", ta, "b", tb, 1.25), "why")}.
     */
    public static void checkPrediction(Object guess, Object outcome, String why) {
        org.threadlab.lesson.Quiz.prediction(guess, outcome, why);
    }

    /** Compares a predicted number with the measured one: close within {@code factor}x either way. */
    public static void checkPrediction(Number guess, double measured, double factor, String why) {
        org.threadlab.lesson.Quiz.prediction(guess, measured, factor, why);
    }

    /** Which of two times is smaller, or "about the same" within {@code sameWithin}x; prints numbers, threshold, verdict. */
    public static String faster(String a, double timeA, String b, double timeB, double sameWithin) {
        return org.threadlab.lesson.Verdict.faster(a, timeA, b, timeB, sameWithin);
    }

    /** Whether {@code measured} is within {@code tolerance} (0.15 = 15 %) of {@code expected}; prints the sentence. */
    public static boolean about(String what, double measured, double expected, double tolerance) {
        return org.threadlab.lesson.Verdict.about(what, measured, expected, tolerance);
    }

    /** Whether {@code measured} reaches {@code threshold}; prints the sentence with the threshold. */
    public static boolean atLeast(String what, double measured, double threshold) {
        return org.threadlab.lesson.Verdict.atLeast(what, measured, threshold);
    }

    /** Whether {@code measured} stays at or below {@code threshold}; prints the sentence with the threshold. */
    public static boolean atMost(String what, double measured, double threshold) {
        return org.threadlab.lesson.Verdict.atMost(what, measured, threshold);
    }

    /** The names from the smallest value to the largest ("a < b ≈ c"), ties within {@code sameWithin}x. */
    public static String ranking(java.util.Map<String, ? extends Number> values, double sameWithin) {
        return org.threadlab.lesson.Verdict.ranking(values, sameWithin);
    }

    /**
     * A predicted curve against the measured one, point by point: "close" when every point is within
     * {@code tolerance} (0.25 = 25 %), else "not close"; "cannot judge" on one core or when
     * {@code loadBefore} (the load average read before measuring: {@code double loadBefore = load();})
     * was half the cores or more. Prints the points, the threshold and the verdict:
     * {@code compareCurves("Amdahl", predicted, measured, 0.25, loadBefore)}.
     */
    public static String compareCurves(String what, java.util.Map<? extends Number, ? extends Number> predicted,
                                       java.util.Map<? extends Number, ? extends Number> measured, double tolerance, double loadBefore) {
        return org.threadlab.lesson.Curves.compare(what, predicted, measured, tolerance, loadBefore);
    }

    /** Compiles a small Java program (one public class with main) to start as a child process. */
    public static org.threadlab.lesson.JavaProgram javaProgram(String source) {
        return org.threadlab.lesson.JavaProgram.compile(source);
    }

    /** Whether {@code command} is on the PATH ({@code hasCommand("python3")}). */
    public static boolean hasCommand(String command) {
        return org.threadlab.lesson.Sizes.hasCommand(command);
    }

    /** True on Linux; elsewhere says that this part {@code what} (e.g. "reads /proc") cannot be shown here. */
    public static boolean needsLinux(String what) {
        return org.threadlab.lesson.Sizes.needsLinux(what);
    }

    /**
     * Runs {@code body} on {@code n} platform threads {@code name-0..}, released at the same moment
     * by a latch so that they overlap, and waits for all; returns the seconds they took:
     * {@code together(2, "adder", i -> { for (int k = 0; k < 1_000; k++) c.n++; });}
     */
    public static double together(int n, String name, org.threadlab.lesson.Together.Body body) throws InterruptedException {
        return org.threadlab.lesson.Together.run(n, name, body);
    }

    /**
     * "How often does chance find it here?": runs a real-thread trial {@code runs} times (with a
     * progress bar) and prints in how many runs the bug showed:
     * {@code chance("an update was lost", 20, () -> race(2).lost() > 0);}
     */
    public static org.threadlab.lesson.Chance chance(String what, int runs, org.threadlab.lesson.Chance.Trial trial) throws Exception {
        return org.threadlab.lesson.Chance.count(what, runs, trial);
    }

    /** Whether every count is within {@code tolerance} (0.2 = 20 %) of the fair share; prints the sentence. */
    public static boolean evenShares(String what, long[] counts, double tolerance) {
        return org.threadlab.lesson.Verdict.evenShares(what, counts, tolerance);
    }

    /**
     * Compares predicted outcomes with those an exploration found, as sets:
     * {@code checkOutcomes(predicted, race.explore().outcomes(), "why")}.
     */
    public static void checkOutcomes(java.util.Collection<?> predicted, java.util.Collection<?> found, String why) {
        org.threadlab.lesson.Quiz.outcomes(predicted, found, why);
    }
}
