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
        return org.threadlab.run.ProcessTree.kill(pid);
    }

    /** {@link #killTree(long)} for a handle ({@code process.toHandle()}, {@code child.process()}). */
    public static java.util.List<Long> killTree(ProcessHandle process) {
        return org.threadlab.run.ProcessTree.kill(process);
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
}
