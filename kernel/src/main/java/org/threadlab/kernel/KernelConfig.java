package org.threadlab.kernel;

import org.threadlab.kernel.exec.ClassDataArchive;
import org.threadlab.kernel.exec.ExecutionJvm;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Settings of a kernel: how its execution JVM is started and how long an interrupt may take.
 * {@link #fromEnvironment()} reads {@code THREADLAB_*} variables (set in the kernelspec's
 * {@code env}); tests build one directly.
 *
 * @param cellClassPath   jars and folders every cell can use (the helper library and its dependencies)
 * @param executionFlags  JVM flags of the execution JVM (heap and thread limits live here)
 * @param extraStartup    snippets run after the default imports
 * @param interruptGraceMs how long interrupted threads get to end by themselves, in ms
 * @param interruptForceMs when forcing gives up and the execution JVM is restarted, in ms after the interrupt
 * @param startTimeoutMs  how long the execution JVM may take to connect, in ms
 * @param maxThreads      platform threads the execution JVM may have before the running cell is stopped
 * @param maxProcesses    child processes (all descendants) the execution JVM may have before the cell is stopped
 */
public record KernelConfig(List<String> cellClassPath, List<String> executionFlags, List<String> extraStartup,
                           long interruptGraceMs, long interruptForceMs, int startTimeoutMs, int maxThreads, int maxProcesses) {

    /** Flags of the execution JVM: a bounded heap so a runaway allocation fails with a clear message. */
    public static final List<String> DEFAULT_EXECUTION_FLAGS = withMemoryFlags(
            // a small start (the heap grows with the cells' needs): every page an idle kernel touches counts in its memory
            "-XX:+UseSerialGC", "-Xms8m", "-Xmx1g", "-Xss1m", "-XX:-UsePerfData",
            // With the serial collector C2 drops safepoint polls from counted loops, and a thread in
            // such a loop would take no stop (JDI's async exception) and hold up every safepoint
            // (thread dumps, GC) until the loop ends: keep polls, every 1000 iterations.
            "-XX:+UseCountedLoopSafepoints", "-XX:LoopStripMiningIter=1000",
            "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8",
            // lets the agent find a cell's virtual threads (see org.threadlab.agent.VirtualThreads)
            "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            // OSHI reaches the OS through JNA: without this, machine() prints a restricted-method warning in the cell
            "--enable-native-access=ALL-UNNAMED");

    /**
     * Adds the flag that makes a class's execution JVMs share memory, for the JDK running this
     * (the execution JVM runs on the same one).
     * <p>
     * A class is many execution JVMs on one server. Since JDK 20 HotSpot maps the JDK's class-data
     * archive at a random address and relocates it, which writes to its pages: each JVM then holds a
     * private copy. Mapped where it was built, its pages stay clean and the server keeps one copy for
     * all students (measured with ./threadlab bench classroom: PSS per student). The random address
     * makes exploiting a bug that corrupts the JVM's memory harder: student code already runs
     * whatever it likes in this JVM, and the sandbox is the OS around it. The option is diagnostic,
     * so it is left out on JDKs newer than the last one checked (25) until checked there.
     * <p>
     * Not here: TrimNativeHeapInterval, which gave 5-6 MB of freed malloc memory back per idle JVM,
     * but starts a thread of its own ("Native Heap Trimmer") that every ps() in the lectures would
     * show and no lecture explains. The kernel's JVM, which students do not list, has it.
     */
    private static List<String> withMemoryFlags(String... flags) {
        List<String> out = new ArrayList<>(Arrays.asList(flags));
        int jdk = Runtime.version().feature();
        if (jdk <= 25) out.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0"));
        return List.copyOf(out);
    }

    public KernelConfig {
        cellClassPath = List.copyOf(cellClassPath);
        executionFlags = List.copyOf(executionFlags);
        extraStartup = List.copyOf(extraStartup);
    }

    /** The imports every cell has (see {@code Session}), for benchmarks that compile as the kernel does. */
    public static List<String> defaultImports() {
        return Session.DEFAULT_IMPORTS;
    }

    /** The kernel's own class path serves the cells too: it holds the agent, the helper library and jjava-jupyter. */
    public static KernelConfig defaults() {
        List<String> cp = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> flags = new ArrayList<>(DEFAULT_EXECUTION_FLAGS);
        // the installed kernelspec names the class-data archive its training made (see ClassDataArchive)
        flags.addAll(ClassDataArchive.useFlags(System.getProperty(ClassDataArchive.PROPERTY)));
        return new KernelConfig(cp, flags, List.of(), 300, 1500, 20_000, 2000, 200);
    }

    /**
     * {@link #defaults()} adjusted by THREADLAB_HEAP (e.g. 512m), THREADLAB_JVM_FLAGS, THREADLAB_CLASSPATH,
     * THREADLAB_MAX_THREADS, THREADLAB_MAX_PROCESSES and THREADLAB_START_TIMEOUT (seconds the execution
     * JVM may take to connect; a class of students starting at once on one server needs more than 20).
     */
    public static KernelConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static KernelConfig fromEnvironment(Map<String, String> env) {
        KernelConfig d = defaults();
        List<String> flags = new ArrayList<>(d.executionFlags());
        String heap = env.get("THREADLAB_HEAP");
        if (heap != null && !heap.isBlank()) {
            flags.removeIf(f -> f.startsWith("-Xmx"));
            flags.add("-Xmx" + heap.strip());
        }
        String extra = env.get("THREADLAB_JVM_FLAGS");
        if (extra != null && !extra.isBlank()) flags.addAll(Arrays.asList(extra.strip().split("\\s+")));
        List<String> cp = new ArrayList<>(d.cellClassPath());
        String more = env.get("THREADLAB_CLASSPATH");
        if (more != null && !more.isBlank()) cp.addAll(Arrays.asList(more.split(File.pathSeparator)));
        int startSeconds = intOr(env.get("THREADLAB_START_TIMEOUT"), d.startTimeoutMs() / 1000);
        if (startSeconds < 1) throw new IllegalArgumentException("THREADLAB_START_TIMEOUT is in seconds, at least 1, not " + startSeconds);
        return new KernelConfig(cp, flags, d.extraStartup(), d.interruptGraceMs(), d.interruptForceMs(), startSeconds * 1000,
                intOr(env.get("THREADLAB_MAX_THREADS"), d.maxThreads()), intOr(env.get("THREADLAB_MAX_PROCESSES"), d.maxProcesses()));
    }

    private static int intOr(String value, int fallback) {
        if (value == null || value.isBlank()) return fallback;
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number: '" + value + "' (check THREADLAB_* in the kernelspec's env)");
        }
    }

    /** A copy whose execution JVM gets one more flag (a system property, an argument file), for tests and benchmarks. */
    public KernelConfig withExecutionFlag(String flag) {
        List<String> flags = new ArrayList<>(executionFlags);
        flags.add(flag);
        return new KernelConfig(cellClassPath, flags, extraStartup, interruptGraceMs, interruptForceMs, startTimeoutMs, maxThreads, maxProcesses);
    }

    /** A copy with other limits, for tests and small machines. */
    public KernelConfig withLimits(int maxThreads, int maxProcesses) {
        return new KernelConfig(cellClassPath, executionFlags, extraStartup, interruptGraceMs, interruptForceMs, startTimeoutMs, maxThreads, maxProcesses);
    }

    ExecutionJvm.Options executionOptions() {
        List<String> flags = new ArrayList<>(executionFlags);
        flags.add("-Dthreadlab.maxThreads=" + maxThreads);
        flags.add("-Dthreadlab.maxProcesses=" + maxProcesses);
        return new ExecutionJvm.Options(cellClassPath, flags, startTimeoutMs, maxTasks());
    }

    /**
     * The operating system's cap on tasks (threads, and processes with their threads) of the
     * execution JVM: the soft limits plus room for the JVM's own threads, so the kernel's watchdog
     * normally stops a cell first, with its message, and the cap only holds what outruns it.
     */
    long maxTasks() {
        // THREADLAB_CGROUP=off: no cgroup, as on a machine that has none (to compare, or to test that case)
        if ("off".equals(System.getenv("THREADLAB_CGROUP"))) return 0;
        return (long) maxThreads + maxProcesses + 200;
    }
}
