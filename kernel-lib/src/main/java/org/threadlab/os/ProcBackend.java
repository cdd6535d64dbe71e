package org.threadlab.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The Linux backend: reads a procfs tree directly (a snapshot of 100 threads costs a few
 * milliseconds, OSHI's takes several times that). {@link #live()} reads {@code /proc} and
 * {@code /sys} and matches this JVM's threads to Java threads; {@link #recorded(Path)} reads a
 * copy of them, so the parsers are tested on any OS:
 *
 * <pre>{@code
 * Backend b = ProcBackend.recorded(Path.of("src/test/resources/proc-fixtures/python-threads"));
 * b.threads(18220);      // three threads: python3, worker-busy, worker-idle
 * }</pre>
 */
final class ProcBackend implements Backend {
    /** Where a live Linux mounts procfs and sysfs. */
    static final Path PROC = Path.of("/proc"), SYS = Path.of("/sys");

    final Procfs proc;
    /** The pid whose threads are this JVM's, so matched to Java threads; -1 for a recorded tree. */
    private final long self;

    ProcBackend(Procfs proc, long self) {
        this.proc = proc;
        this.self = self;
    }

    /** The live machine: {@code /proc} and {@code /sys}, this JVM as itself. */
    static ProcBackend live() {
        return new ProcBackend(new Procfs(PROC, SYS), ProcessHandle.current().pid());
    }

    /** A recorded machine: {@code dir/proc} and {@code dir/sys}; no process in it is this JVM. */
    static ProcBackend recorded(Path dir) {
        return new ProcBackend(new Procfs(dir.resolve("proc"), dir.resolve("sys")), -1);
    }

    @Override
    public IllegalArgumentException noSuchProcess(long pid) {
        if (pid > 0 && Files.exists(Path.of(proc.path(String.valueOf(pid))))) {
            return new IllegalArgumentException("pid " + pid + " exists but its details may not be read by this user"
                    + " (/proc mounted with hidepid, or a process of another user): run the kernel as that user to see it");
        }
        return Backend.super.noSuchProcess(pid);
    }

    @Override
    public ThreadList threads(long pid) {
        return threads(pid, true);
    }

    /** The threads of {@code pid}; without their context switches (one file less per thread) for the sampler. */
    ThreadList threads(long pid, boolean contextSwitches) {
        long taken = System.currentTimeMillis();
        List<Long> tidList = proc.tasks(pid);
        if (tidList.isEmpty()) throw noSuchProcess(pid);
        List<Procfs.Stat> stats = new ArrayList<>(tidList.size());
        List<long[]> switches = new ArrayList<>(tidList.size());
        List<String> unavailable = new ArrayList<>();
        boolean me = pid == self;
        // files stay open between snapshots only for a few hundred threads: a program with
        // thousands needs its file descriptors more than ps() needs speed
        boolean keep = me && tidList.size() <= Sampler.MAX_KEPT;
        for (long tid : tidList) {
            Procfs.Stat st = proc.taskStat(pid, tid, keep);
            if (st == null) continue;     // ended since the listing
            stats.add(st);
            switches.add(contextSwitches ? proc.contextSwitches(pid, tid, keep) : new long[]{-1, -1});
        }
        if (me) proc.keepOnly(pid, keep ? tidList : List.of());
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
                    s.processor(), sw[0], sw[1], s.priority(), s.nice(), proc.startMillis(s.startTicks()), kind,
                    t == null ? (jid >= 0 ? jid : -1) : t.threadId(), t == null ? "" : t.getName(),
                    t == null ? null : t.getState(), t != null && t.isDaemon(), t != null && t.isVirtual(),
                    JavaThreads.cellOf(t), t));
        }
        out.sort(Comparator.comparingLong(OsThread::tid));
        return new ThreadList(pid, taken, out, unavailable);
    }

    @Override
    public ProcessInfo process(long pid) {
        Procfs.Stat s = proc.stat(pid);
        if (s == null) return null;
        List<String> unavailable = new ArrayList<>();
        String cmd = proc.cmdline(pid);
        if (cmd == null) {
            unavailable.add("command line of " + pid + ": not readable");
            cmd = "";
        }
        String status = proc.file(pid + "/status");
        long uid = status == null ? -1 : Procfs.valueAfter(status, "\nUid:");
        long page = 4096;  // every Linux architecture ThreadLab runs on; RSS in stat is in pages
        return new ProcessInfo(pid, s.ppid(), s.comm(), cmd, s.state(), s.numThreads(),
                s.rssPages() < 0 ? -1 : s.rssPages() * page, s.vsizeBytes(), s.utime() * Procfs.MS_PER_TICK,
                s.stime() * Procfs.MS_PER_TICK, proc.startMillis(s.startTicks()), Procfs.userName(uid), unavailable);
    }

    @Override
    public ProcessList processes() {
        List<ProcessInfo> all = new ArrayList<>();
        for (long pid : proc.pids()) {
            ProcessInfo p = process(pid);
            if (p != null) all.add(p);   // null: it ended while we looked
        }
        all.sort(Comparator.comparingLong(ProcessInfo::pid));
        return new ProcessList(all, List.of());
    }

    @Override
    public ProcessList children(long pid) {
        // one stat per process to find the children, the full read only for them
        List<ProcessInfo> kids = new ArrayList<>();
        for (long p : proc.pids()) {
            Procfs.Stat st = proc.stat(p);
            if (st == null || st.ppid() != pid) continue;
            ProcessInfo info = process(p);
            if (info != null) kids.add(info);
        }
        kids.sort(Comparator.comparingLong(ProcessInfo::pid));
        return new ProcessList(kids, List.of());
    }

    @Override
    public Machine machine() {
        return Machine.read(new Machine.Local(trim(proc.file("sys/kernel/osrelease")),
                Procfs.countCpuList(proc.status("self/status").get("Cpus_allowed_list")),
                Cgroup.cpuLimit(proc), Cgroup.memoryLimit(proc), Machine.linuxCaches(proc)));
    }

    @Override
    public Limits limits() {
        return Limits.fromProc(proc);
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
