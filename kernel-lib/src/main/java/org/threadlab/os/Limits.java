package org.threadlab.os;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What stops a program from starting more threads, like {@code ulimit -a} and
 * {@code /proc/sys/kernel/threads-max}, with an estimate of how many more fit and which limit binds.
 *
 * <pre>{@code
 * Limits l = limits();
 * System.out.println("about " + l.moreThreads() + " more threads: " + l.why());
 * }</pre>
 *
 * Counts are -1 when unknown and {@link Long#MAX_VALUE} when unlimited.
 *
 * @param threadsMax        the most threads the whole system may have ({@code kernel.threads-max})
 * @param pidMax            the largest process/thread id ({@code kernel.pid_max}); every thread uses one id
 * @param threadsNow        threads that exist now, system-wide
 * @param nprocSoft         RLIMIT_NPROC ({@code ulimit -u}): processes plus threads one user may have; soft value
 * @param nprocHard         the same, hard value (the ceiling the soft value may be raised to)
 * @param userThreadsNow    threads this user has now (they count against RLIMIT_NPROC)
 * @param jvmStackBytes     the JVM's default thread stack ({@code -Xss}, {@code ThreadStackSize}), in bytes
 * @param osStackBytes      RLIMIT_STACK ({@code ulimit -s}): the first thread's stack and the default for C threads, in bytes
 * @param addressSpaceBytes RLIMIT_AS ({@code ulimit -v}): the most virtual memory one process may map, in bytes
 * @param maxMapCount       the most memory mappings per process ({@code vm.max_map_count}); a thread stack needs about 2
 * @param mapsNow           memory mappings this JVM has now
 * @param cgroupTasks       the cgroup's cap on threads and processes ({@code pids.max}); -1 none
 * @param memoryAvailableBytes memory available now, in bytes
 * @param bounds            every bound considered, smallest first
 * @param moreThreads       estimate: how many more threads this JVM could start (the smallest bound)
 * @param why               which bound that is and why
 * @param unavailable       what could not be read, and why
 */
public record Limits(long threadsMax, long pidMax, long threadsNow, long nprocSoft, long nprocHard, long userThreadsNow,
                     long jvmStackBytes, long osStackBytes, long addressSpaceBytes, long maxMapCount, long mapsNow,
                     long cgroupTasks, long memoryAvailableBytes, List<Bound> bounds, long moreThreads, String why,
                     List<String> unavailable) implements Tabular {

    /**
     * One limit on new threads.
     *
     * @param name  the limit ("RLIMIT_NPROC", "threads-max"...)
     * @param more  how many more threads it allows
     * @param how   how that number comes out of the limit
     */
    public record Bound(String name, long more, String how) {}

    /** Bytes of memory each thread costs at least, beyond its (lazily touched) stack: kernel stack, TLS, JVM structures. Rough. */
    static final long BYTES_PER_THREAD_FLOOR = 128 * 1024;

    /** Where OSHI is the backend: only the JVM's stack size and available memory are known. */
    static Limits fromOshi() {
        List<String> unavailable = new ArrayList<>();
        long jvmStack = jvmStackBytes(unavailable);
        unavailable.add("threads-max, pid_max, RLIMIT_NPROC, RLIMIT_STACK, RLIMIT_AS, max_map_count: read from /proc, Linux only");
        long avail = -1;
        try {
            avail = OshiBackend.info().getHardware().getMemory().getAvailable();
        } catch (RuntimeException | LinkageError ignored) {
            unavailable.add("available memory: OSHI could not read it");
        }
        List<Bound> b = new ArrayList<>();
        if (avail > 0) b.add(new Bound("memory", avail / BYTES_PER_THREAD_FLOOR, "available memory / ~128 KiB a thread at least"));
        return finish(-1, -1, -1, -1, -1, -1, jvmStack, -1, -1, -1, -1, -1, avail, b, unavailable);
    }

    /** Every limit Linux shows in {@code proc} (and its cgroup files), for the process its {@code self} names. */
    static Limits fromProc(Procfs proc) {
        List<String> unavailable = new ArrayList<>();
        long jvmStack = jvmStackBytes(unavailable);
        long threadsMax = proc.number("sys/kernel/threads-max");
        long pidMax = proc.number("sys/kernel/pid_max");
        String load = proc.file("loadavg");
        long threadsNow = -1;
        if (load != null) {
            String[] f = load.trim().split("\\s+");
            if (f.length > 3 && f[3].contains("/")) {
                try {
                    threadsNow = Long.parseLong(f[3].substring(f[3].indexOf('/') + 1));
                } catch (NumberFormatException ignored) {
                    unavailable.add("threads now: /proc/loadavg has an unexpected format");
                }
            }
        }
        long[] nproc = proc.limit("Max processes");
        long[] stack = proc.limit("Max stack size");
        long[] as = proc.limit("Max address space");
        long maxMap = proc.number("sys/vm/max_map_count");
        long maps = countLines(proc.path("self/maps"));
        long cgroupTasks = Cgroup.pidsLimit(proc);
        Map<String, String> meminfo = proc.status("meminfo");
        long avail = Procfs.kbValue(meminfo, "MemAvailable");
        long userThreads = userThreads(proc);
        String over = proc.file("sys/vm/overcommit_memory");

        List<Bound> b = new ArrayList<>();
        if (threadsMax > 0 && threadsNow >= 0) b.add(new Bound("threads-max", threadsMax - threadsNow, threadsMax + " system-wide minus " + threadsNow + " existing"));
        if (pidMax > 0 && threadsNow >= 0) b.add(new Bound("pid_max", pidMax - threadsNow, "each thread takes an id: " + pidMax + " ids minus " + threadsNow + " in use"));
        if (nproc[0] > 0 && nproc[0] != Long.MAX_VALUE && userThreads >= 0) {
            b.add(new Bound("RLIMIT_NPROC", nproc[0] - userThreads, "ulimit -u " + nproc[0] + " minus this user's " + userThreads + " threads (root is exempt)"));
        }
        if (cgroupTasks > 0) {
            long cur = proc.sysNumber("fs/cgroup/pids.current");
            b.add(new Bound("cgroup pids.max", cgroupTasks - Math.max(cur, 0), "the container allows " + cgroupTasks + " tasks"));
        }
        if (maxMap > 0 && maps >= 0) b.add(new Bound("max_map_count", (maxMap - maps) / 2, "(" + maxMap + " - " + maps + " mappings) / 2 per thread stack"));
        long stackBytes = jvmStack > 0 ? jvmStack : stack[0];
        if (as[0] > 0 && as[0] != Long.MAX_VALUE && stackBytes > 0) {
            Procfs.Stat me = Procfs.parseStat(proc.file("self/stat"));
            long used = me == null ? 0 : me.vsizeBytes();
            b.add(new Bound("RLIMIT_AS", Math.max(0, as[0] - used) / stackBytes, "free address space / " + Machine.size(stackBytes) + " stack each"));
        }
        if (over != null && over.trim().equals("2") && stackBytes > 0) {
            long commitLimit = Procfs.kbValue(meminfo, "CommitLimit"), committed = Procfs.kbValue(meminfo, "Committed_AS");
            if (commitLimit > 0 && committed >= 0) {
                b.add(new Bound("overcommit (strict)", Math.max(0, commitLimit - committed) / stackBytes, "vm.overcommit_memory=2 commits whole stacks: free commit / stack size"));
            }
        }
        if (avail > 0) b.add(new Bound("memory", avail / BYTES_PER_THREAD_FLOOR, Machine.size(avail) + " available / ~128 KiB a thread at least (stacks are only touched lazily)"));
        if (nproc[0] < 0) unavailable.add("RLIMIT_NPROC: /proc/self/limits unreadable");
        return finish(threadsMax, pidMax, threadsNow, nproc[0], nproc[1], userThreads, jvmStack, stack[0],
                as[0], maxMap, maps, cgroupTasks, avail, b, unavailable);
    }

    private static Limits finish(long threadsMax, long pidMax, long threadsNow, long nprocSoft, long nprocHard, long userThreads,
                                 long jvmStack, long osStack, long as, long maxMap, long maps, long cgroupTasks, long avail,
                                 List<Bound> b, List<String> unavailable) {
        b = new ArrayList<>(b.stream().map(x -> new Bound(x.name(), Math.max(0, x.more()), x.how())).toList());
        b.sort(Comparator.comparingLong(Bound::more));
        long more = b.isEmpty() ? -1 : b.get(0).more();
        String why = b.isEmpty() ? "no limit could be read" : b.get(0).name() + " binds first: " + b.get(0).how();
        return new Limits(threadsMax, pidMax, threadsNow, nprocSoft, nprocHard, userThreads, jvmStack, osStack, as, maxMap,
                maps, cgroupTasks, avail, List.copyOf(b), more, why, List.copyOf(unavailable));
    }

    /** ThreadStackSize in bytes; when it is 0 the JVM uses the OS default, which on Linux x64 is 1 MiB for Java threads. */
    private static long jvmStackBytes(List<String> unavailable) {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long kb = Long.parseLong(hs.getVMOption("ThreadStackSize").getValue());
            if (kb > 0) return kb * 1024;
        } catch (RuntimeException | LinkageError ignored) {
            // not HotSpot
        }
        unavailable.add("JVM thread stack size: not a HotSpot JVM, or -Xss left to the OS default");
        return -1;
    }

    private static long countLines(String path) {
        try (Stream<String> lines = Files.lines(Path.of(path))) {
            return lines.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Threads owned by this process's real user, summed over every process (what RLIMIT_NPROC counts). */
    private static long userThreads(Procfs proc) {
        String mine = proc.file("self/status");
        if (mine == null) return -1;
        long uid = Procfs.valueAfter(mine, "\nUid:");
        long n = 0;
        for (long pid : proc.pids()) {
            String s = proc.file(pid + "/status");
            if (s == null) continue;   // ended, or not ours to read
            if (Procfs.valueAfter(s, "\nUid:") == uid) n += Math.max(0, Procfs.valueAfter(s, "\nThreads:"));
        }
        return n;
    }

    private static String count(long v) {
        return v == Long.MAX_VALUE ? "unlimited" : v < 0 ? "" : Long.toString(v);
    }

    private static String bytes(long v) {
        return Machine.size(v);
    }

    public Table table() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("threads-max (system)", count(threadsMax), count(threadsNow) + " now"));
        rows.add(List.of("pid_max", count(pidMax), "every thread takes an id"));
        rows.add(List.of("RLIMIT_NPROC (ulimit -u)", count(nprocSoft), "hard " + count(nprocHard) + "; this user has " + count(userThreadsNow)));
        rows.add(List.of("JVM thread stack (-Xss)", bytes(jvmStackBytes), "reserved per Java thread, touched lazily"));
        rows.add(List.of("OS stack (ulimit -s)", bytes(osStackBytes), "main thread and C threads"));
        rows.add(List.of("address space (ulimit -v)", bytes(addressSpaceBytes), "virtual memory per process"));
        rows.add(List.of("vm.max_map_count", count(maxMapCount), count(mapsNow) + " mappings now"));
        rows.add(List.of("cgroup pids.max", cgroupTasks < 0 ? "none" : count(cgroupTasks), "container cap on tasks"));
        rows.add(List.of("memory available", bytes(memoryAvailableBytes), ""));
        for (Bound x : bounds) rows.add(List.of("-> bound: " + x.name(), count(x.more()), x.how()));
        Table t = Table.of(List.of("LIMIT", "VALUE", "NOTE"), rows)
                .titled("about " + count(moreThreads) + " more threads fit; " + why);
        return unavailable.isEmpty() ? t : t.withFooter("unavailable: " + String.join("; ", unavailable));
    }

    @Override public String toString() { return table().toString(); }
}
