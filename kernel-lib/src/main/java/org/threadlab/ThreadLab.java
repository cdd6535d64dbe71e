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
}
