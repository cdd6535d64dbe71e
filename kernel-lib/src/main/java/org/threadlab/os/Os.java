package org.threadlab.os;

import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OSThread;

import java.util.ArrayList;
import java.util.Comparator;
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
 * <p>On Linux every call reads {@code /proc} directly (fast: a snapshot of 100 threads costs a few
 * milliseconds). Elsewhere it asks OSHI and names, in each result's {@code unavailable()}, the
 * fields that platform does not give.
 */
public final class Os {
    private Os() {}

    static final boolean LINUX = Procfs.available();
    private static volatile SystemInfo oshi;

    static SystemInfo oshi() {
        SystemInfo s = oshi;
        if (s == null) {
            synchronized (Os.class) {
                if (oshi == null) oshi = new SystemInfo();
                s = oshi;
            }
        }
        return s;
    }

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
        return LINUX ? linuxThreads(pid, true) : outsideCell(() -> oshiThreads(pid));
    }

    static IllegalArgumentException noSuchProcess(long pid) {
        if (LINUX && pid > 0 && java.nio.file.Files.exists(java.nio.file.Path.of(Procfs.path(String.valueOf(pid))))) {
            return new IllegalArgumentException("pid " + pid + " exists but its details may not be read by this user"
                    + " (/proc mounted with hidepid, or a process of another user): run the kernel as that user to see it");
        }
        return new IllegalArgumentException("no process with pid " + pid
                + " (it may have ended): list the live ones with pstree() or children()");
    }

    static ThreadList linuxThreads(long pid, boolean contextSwitches) {
        long taken = System.currentTimeMillis();
        List<Long> tidList = Procfs.numericEntries(Procfs.path(pid + "/task"));
        if (tidList.isEmpty()) throw noSuchProcess(pid);
        List<Procfs.Stat> stats = new ArrayList<>(tidList.size());
        List<long[]> switches = new ArrayList<>(tidList.size());
        List<String> unavailable = new ArrayList<>();
        boolean me = pid == self();
        // files stay open between snapshots only for a few hundred threads: a program with
        // thousands needs its file descriptors more than ps() needs speed
        boolean keep = me && tidList.size() <= Sampler.MAX_KEPT;
        for (long tid : tidList) {
            Procfs.Stat st = Procfs.taskStat(pid, tid, keep);
            if (st == null) continue;     // ended since the listing
            stats.add(st);
            switches.add(contextSwitches ? Procfs.contextSwitches(pid, tid, keep) : new long[]{-1, -1});
        }
        if (me) Procfs.keepOnly(pid, keep ? tidList : List.of());
        if (stats.isEmpty()) throw noSuchProcess(pid);
        if (contextSwitches && switches.stream().anyMatch(s -> s[0] < 0)) {
            unavailable.add("context switches: not in /proc/" + pid + "/task/*/status (another user's process, or an old kernel)");
        }
        if (stats.stream().anyMatch(s -> s.processor() < 0)) unavailable.add("PSR: this kernel's stat has no processor field");

        int n = stats.size();
        long[] tids = new long[n], starts = new long[n];
        String[] comms = new String[n];
        for (int i = 0; i < n; i++) {
            tids[i] = stats.get(i).id();
            starts[i] = stats.get(i).startTicks();
            comms[i] = stats.get(i).comm();
        }
        Map<Long, Thread> live = me ? JavaThreads.liveThreads() : Map.of();
        long[] javaIds = null;
        if (me) {
            javaIds = JavaThreads.javaIds(tids, starts, live);
            if (javaIds == null) {
                javaIds = JavaThreads.byName(tids, comms, live);
                unavailable.add("exact Java thread match: this JVM has no Thread.print diagnostic command; matched by name (see JavaThreads)");
            }
        }
        List<OsThread> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Procfs.Stat s = stats.get(i);
            long[] sw = switches.get(i);
            long jid = me ? javaIds[i] : -2;
            Thread t = jid >= 0 ? live.get(jid) : null;
            OsThread.Kind kind = me ? JavaThreads.kindOf(jid, t) : OsThread.Kind.OTHER;
            out.add(new OsThread(pid, s.id(), s.comm(), s.state(), s.utime() * Procfs.MS_PER_TICK, s.stime() * Procfs.MS_PER_TICK,
                    s.processor(), sw[0], sw[1], s.priority(), s.nice(), Procfs.startMillis(s.startTicks()), kind,
                    t == null ? (jid >= 0 ? jid : -1) : t.threadId(), t == null ? "" : t.getName(),
                    t == null ? null : t.getState(), t != null && t.isDaemon(), t != null && t.isVirtual(),
                    JavaThreads.cellOf(t), t));
        }
        out.sort(Comparator.comparingLong(OsThread::tid));
        return new ThreadList(pid, taken, out, unavailable);
    }

    static ThreadList oshiThreads(long pid) {
        long taken = System.currentTimeMillis();
        OSProcess p = oshi().getOperatingSystem().getProcess((int) pid);
        if (p == null) throw noSuchProcess(pid);
        String os = System.getProperty("os.name");
        List<String> unavailable = new ArrayList<>(List.of(
                "PSR (last CPU): not reported on " + os,
                "voluntary/involuntary switches: " + os + " gives only their sum (shown as voluntary)",
                "nice: not reported on " + os));
        boolean me = pid == self();
        Map<Long, Thread> live = me ? JavaThreads.liveThreads() : Map.of();
        List<OSThread> details = p.getThreadDetails();
        long[] tids = details.stream().mapToLong(OSThread::getThreadId).toArray();
        String[] names = details.stream().map(d -> d.getName() == null ? "" : d.getName()).toArray(String[]::new);
        long[] javaIds = me ? JavaThreads.byName(tids, names, live) : null;
        if (me) unavailable.add("exact Java thread match: only on Linux; matched by name");
        List<OsThread> out = new ArrayList<>();
        for (int i = 0; i < details.size(); i++) {
            OSThread d = details.get(i);
            long jid = me ? javaIds[i] : -2;
            Thread t = jid >= 0 ? live.get(jid) : null;
            out.add(new OsThread(pid, d.getThreadId(), names[i], letter(d.getState()), d.getUserTime(), d.getKernelTime(), -1,
                    d.getContextSwitches(), -1, d.getPriority(), 0, d.getStartTime() > 0 ? d.getStartTime() : -1,
                    me ? JavaThreads.kindOf(jid, t) : OsThread.Kind.OTHER, t == null ? -1 : t.threadId(),
                    t == null ? "" : t.getName(), t == null ? null : t.getState(), t != null && t.isDaemon(), false,
                    JavaThreads.cellOf(t), t));
        }
        return new ThreadList(pid, taken, out, unavailable);
    }

    static char letter(OSProcess.State s) {
        if (s == null) return '?';
        return switch (s) {
            case RUNNING -> 'R';
            case SLEEPING, WAITING -> 'S';
            case ZOMBIE -> 'Z';
            case STOPPED, SUSPENDED -> 'T';
            default -> '?';
        };
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
        ProcessInfo p = LINUX ? linuxProcess(pid) : outsideCell(() -> oshiProcess(pid));
        if (p == null) throw noSuchProcess(pid);
        return p;
    }

    static ProcessInfo linuxProcess(long pid) {
        Procfs.Stat s = Procfs.stat(pid);
        if (s == null) return null;
        List<String> unavailable = new ArrayList<>();
        String cmd = Procfs.cmdline(pid);
        if (cmd == null) {
            unavailable.add("command line of " + pid + ": not readable");
            cmd = "";
        }
        String status = Procfs.read(Procfs.path(pid + "/status"));
        long uid = status == null ? -1 : Procfs.valueAfter(status, "\nUid:");
        long page = 4096;  // every Linux architecture ThreadLab runs on; RSS in stat is in pages
        return new ProcessInfo(pid, s.ppid(), s.comm(), cmd, s.state(), s.numThreads(),
                s.rssPages() < 0 ? -1 : s.rssPages() * page, s.vsizeBytes(), s.utime() * Procfs.MS_PER_TICK,
                s.stime() * Procfs.MS_PER_TICK, Procfs.startMillis(s.startTicks()), Procfs.userName(uid), unavailable);
    }

    static ProcessInfo oshiProcess(long pid) {
        OSProcess p = oshi().getOperatingSystem().getProcess((int) pid);
        return p == null ? null : fromOshi(p);
    }

    private static ProcessInfo fromOshi(OSProcess p) {
        List<String> unavailable = new ArrayList<>();
        String cmd = p.getCommandLine();
        if (cmd == null || cmd.isBlank()) unavailable.add("command line: not readable (another user's process?)");
        return new ProcessInfo(p.getProcessID(), p.getParentProcessID(), p.getName(), cmd == null ? "" : cmd,
                letter(p.getState()), p.getThreadCount(), p.getResidentSetSize(), p.getVirtualSize(),
                p.getUserTime(), p.getKernelTime(), p.getStartTime(), p.getUser(), unavailable);
    }

    /** Every process of the machine (that this user may see). */
    public static ProcessList processes() {
        if (!LINUX) {
            return outsideCell(() -> new ProcessList(oshi().getOperatingSystem().getProcesses().stream().map(Os::fromOshi).toList(), List.of()));
        }
        List<ProcessInfo> all = new ArrayList<>();
        for (long pid : Procfs.numericEntries(Procfs.root())) {
            ProcessInfo p = linuxProcess(pid);
            if (p != null) all.add(p);   // null: it ended while we looked
        }
        all.sort(Comparator.comparingLong(ProcessInfo::pid));
        return new ProcessList(all, List.of());
    }

    /** The direct children of this JVM (processes it started that still exist, zombies included). */
    public static ProcessList children() {
        return children(self());
    }

    /** The direct children of process {@code pid}. */
    public static ProcessList children(long pid) {
        if (!LINUX) {
            return outsideCell(() -> new ProcessList(oshi().getOperatingSystem().getChildProcesses((int) pid, null, null, 0)
                    .stream().map(Os::fromOshi).toList(), List.of()));
        }
        // one stat per process to find the children, the full read only for them
        List<ProcessInfo> kids = new ArrayList<>();
        for (long p : Procfs.numericEntries(Procfs.root())) {
            Procfs.Stat st = Procfs.stat(p);
            if (st == null || st.ppid() != pid) continue;
            ProcessInfo info = linuxProcess(p);
            if (info != null) kids.add(info);
        }
        kids.sort(Comparator.comparingLong(ProcessInfo::pid));
        return new ProcessList(kids, List.of());
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
        ProcessList all = processes();
        Map<Long, ProcessInfo> byPid = new HashMap<>();
        Map<Long, List<ProcessInfo>> kids = new HashMap<>();
        for (ProcessInfo p : all) {
            byPid.put(p.pid(), p);
            kids.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
        }
        ProcessInfo start = byPid.get(focus);
        if (start == null) throw noSuchProcess(focus);
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
        return outsideCell(Machine::read);
    }

    /** Limits on threads and processes, with an estimate of how many more threads fit and why. */
    public static Limits limits() {
        return outsideCell(Limits::read);
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
