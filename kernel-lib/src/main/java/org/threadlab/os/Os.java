package org.threadlab.os;


import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Seeing what the operating system sees: the threads of a process, processes and their tree, the
 * machine and the limits on threads. The entry point of {@code org.threadlab.os}; cells reach the
 * same calls through {@code org.threadlab.ThreadLab} ({@code ps()}, {@code pstree()}...).
 *
 * <pre>{@code
 * ThreadList threads = Os.threads(Os.self());      // like ps -T -p $$
 * ProcessTree tree = Os.tree(1);                   // like ps --forest
 * Machine m = Os.machine();                        // like lscpu
 * Limits l = Os.limits();                          // like ulimit -a, with an estimate of how many threads fit
 * }</pre>
 *
 * <p>Virtual threads have no OS thread of their own, so no OS tool lists them and neither does
 * {@link #threads()}: their carrier threads ({@link OsThread.Kind#CARRIER}) show when and where
 * they ran, and {@link #virtualThreads()} lists them with the carrier of each mounted one. Java
 * threads are matched to OS threads only in this JVM; see {@link JavaThreads} for how, and where
 * the match can fail.
 *
 * <p>Every call goes to one backend, chosen once when this class loads: on Linux with a readable
 * {@code /proc}, {@code ProcBackend} reads it directly (fast: a snapshot of 100 threads costs a
 * few milliseconds); elsewhere {@code OshiBackend} asks OSHI and names, in each result's
 * {@code unavailable()}, the fields that platform does not give.
 */
public final class Os {
    private Os() {}

    /** Chosen once: {@code /proc} read directly on Linux, OSHI elsewhere (see {@link Backend#choose()}). */
    static final Backend BACKEND = Backend.choose();
    /** Whether the live backend reads {@code /proc} (the sampler's fast path and Linux-only tests). */
    static final boolean LINUX = BACKEND instanceof ProcBackend;

    private static volatile boolean warming;

    /**
     * Starts, on a daemon thread, the one-time work of the first {@link #threads()} (the JVM's
     * management server, about 0.2 to 1 s on a busy machine), so that a cell's first {@code ps()}
     * answers at once. A kernel may call it at start-up; calling it again does nothing.
     */
    public static void warmUp() {
        if (warming || !LINUX) return;
        warming = true;
        helper("threadlab-os-warmup", () -> {
            try {
                threads();
            } catch (RuntimeException ignored) {
                // warming is best effort: the first real call reports any problem
            }
        }).start();
    }

    /**
     * A daemon thread for ThreadLab's own work (sampler, monitor, OSHI calls), outside any cell: in
     * the root thread group and without the cell's inheritable thread locals, so that the kernel
     * neither counts it among a cell's threads nor lets threads it starts (JNA's cleaner) look
     * like the student's.
     */
    static Thread helper(String name, Runnable body) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        if (root == null) root = Thread.ofPlatform().unstarted(() -> {}).getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        return Thread.ofPlatform().group(root).name(name).daemon(true).inheritInheritableThreadLocals(false).unstarted(body);
    }

    /** Runs {@code work} on a {@link #helper} thread and waits for its answer (for OSHI, which may start threads). */
    static <T> T outsideCell(java.util.function.Supplier<T> work) {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        if (g != null && g.getParent() == null) return work.get();   // already a helper (the sampler, the monitor)
        Object[] result = new Object[1];
        RuntimeException[] failure = new RuntimeException[1];
        Error[] error = new Error[1];
        Thread t = helper("threadlab-os", () -> {
            try {
                result[0] = work.get();
            } catch (RuntimeException e) {
                failure[0] = e;
            } catch (Error e) {
                error[0] = e;
            }
        });
        t.start();
        join(t, Long.MAX_VALUE);
        if (failure[0] != null) throw failure[0];
        if (error[0] != null) throw error[0];
        @SuppressWarnings("unchecked") T r = (T) result[0];
        return r;
    }

    /**
     * Waits up to {@code millis} ms for {@code t} to end, even if the caller is interrupted (its
     * interrupt flag is kept for it): a half-stopped sampler would hand back samples still being written.
     */
    static void join(Thread t, long millis) {
        long deadline = millis == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + millis * 1_000_000;
        boolean interrupted = false;
        while (t.isAlive()) {
            long left = deadline == Long.MAX_VALUE ? 0 : (deadline - System.nanoTime()) / 1_000_000;
            if (deadline != Long.MAX_VALUE && left <= 0) break;
            try {
                t.join(deadline == Long.MAX_VALUE ? 0 : Math.max(1, left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** This JVM's process id. */
    public static long self() {
        return ProcessHandle.current().pid();
    }

    // ---- threads ----

    /** The OS threads of this JVM (where the cell runs), each matched to its Java thread. */
    public static ThreadList threads() {
        return threads(self());
    }

    /**
     * The OS threads of process {@code pid}. Java threads are matched only for this JVM: threads of
     * other processes come with {@link OsThread.Kind#OTHER}.
     *
     * @throws IllegalArgumentException when no process has that id (it may have ended)
     */
    public static ThreadList threads(long pid) {
        return BACKEND.threads(pid);
    }

    /**
     * This JVM's virtual threads, which have no OS thread and so appear in no OS listing; each
     * mounted one names its carrier and the carrier's OS thread id. See {@link VirtualThreadList}.
     */
    public static VirtualThreadList virtualThreads() {
        return JavaThreads.virtualThreads();
    }

    // ---- processes ----

    /** This JVM as a process. */
    public static ProcessInfo process() {
        return process(self());
    }

    /**
     * Process {@code pid}: command line, state, parent, thread count, memory, CPU.
     *
     * @throws IllegalArgumentException when no process has that id (it may have ended)
     */
    public static ProcessInfo process(long pid) {
        ProcessInfo p = BACKEND.process(pid);
        if (p == null) throw BACKEND.noSuchProcess(pid);
        return p;
    }

    /** Every process of the machine (that this user may see). */
    public static ProcessList processes() {
        return BACKEND.processes();
    }

    /** The direct children of this JVM (processes it started that still exist, zombies included). */
    public static ProcessList children() {
        return children(self());
    }

    /** The direct children of process {@code pid}. */
    public static ProcessList children(long pid) {
        return BACKEND.children(pid);
    }

    /**
     * A tree like {@code ps --forest}: the line of ancestors from PID 1 (or the oldest visible one)
     * down to this JVM, then every descendant of this JVM.
     */
    public static ProcessTree tree() {
        return tree(self(), true);
    }

    /** Process {@code root} and all its descendants, like {@code ps --forest} started at {@code root}. */
    public static ProcessTree tree(long root) {
        return tree(root, false);
    }

    private static ProcessTree tree(long focus, boolean withAncestors) {
        return tree(BACKEND, focus, withAncestors);
    }

    /** The tree around {@code focus} from the processes {@code backend} sees; shared by every backend. */
    static ProcessTree tree(Backend backend, long focus, boolean withAncestors) {
        ProcessList all = backend.processes();
        Map<Long, ProcessInfo> byPid = new HashMap<>();
        Map<Long, List<ProcessInfo>> kids = new HashMap<>();
        for (ProcessInfo p : all) {
            byPid.put(p.pid(), p);
            kids.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
        }
        ProcessInfo start = byPid.get(focus);
        if (start == null) throw backend.noSuchProcess(focus);
        List<String> unavailable = new ArrayList<>(all.unavailable());
        if (!withAncestors) return new ProcessTree(subtree(start, 0, kids), unavailable);
        List<ProcessInfo> line = new ArrayList<>();
        for (ProcessInfo p = start; p != null && line.size() < 1000; p = byPid.get(p.ppid())) {
            line.add(0, p);
            if (p.ppid() <= 0) break;
        }
        if (line.get(0).ppid() > 0) unavailable.add("ancestors above pid " + line.get(0).pid() + ": not visible from here (a container?)");
        ProcessTree.Node node = subtree(start, line.size() - 1, kids);
        for (int i = line.size() - 2; i >= 0; i--) node = new ProcessTree.Node(line.get(i), i, List.of(node));
        return new ProcessTree(node, unavailable);
    }

    private static ProcessTree.Node subtree(ProcessInfo p, int depth, Map<Long, List<ProcessInfo>> kids) {
        List<ProcessTree.Node> children = new ArrayList<>();
        if (depth < 200) {
            for (ProcessInfo c : kids.getOrDefault(p.pid(), List.of())) {
                if (c.pid() != p.pid()) children.add(subtree(c, depth + 1, kids));
            }
        }
        return new ProcessTree.Node(p, depth, children);
    }

    // ---- the machine and its limits ----

    /** The machine: CPU model, cores, SMT, caches, memory, OS, JVM, and what this JVM may use. */
    public static Machine machine() {
        return outsideCell(BACKEND::machine);
    }

    /** Limits on threads and processes, with an estimate of how many more threads fit and why. */
    public static Limits limits() {
        return outsideCell(BACKEND::limits);
    }

    // ---- watching over time ----

    /** Samples every thread of this JVM every {@code everyMs} ms while {@code body} runs. */
    public static Samples watch(int everyMs, Body body) {
        return watch(self(), everyMs, t -> true, body);
    }

    /**
     * Samples the threads of process {@code pid} that match {@code which} every {@code everyMs} ms
     * while {@code body} runs on the calling thread; threads that end are kept in the samples.
     */
    public static Samples watch(long pid, int everyMs, Predicate<OsThread> which, Body body) {
        return Sampler.watch(pid, everyMs, which, body);
    }

    // ---- live monitor ----

    /**
     * A live table of this JVM's cell threads, updated in place every {@code everyMs} ms from a
     * daemon thread; see {@link Monitor}.
     */
    public static Monitor monitor(int everyMs) {
        return Monitor.start(self(), everyMs, Monitor.cellThreads(), Monitor.MAX);
    }

    /** A live table of the threads of process {@code pid} that match {@code which}, for at most {@code max}. */
    public static Monitor monitor(long pid, int everyMs, Predicate<OsThread> which, java.time.Duration max) {
        return Monitor.start(pid, everyMs, which, max);
    }

    static String osWord() {
        return System.getProperty("os.name", "this OS").toLowerCase(Locale.ROOT);
    }
}
