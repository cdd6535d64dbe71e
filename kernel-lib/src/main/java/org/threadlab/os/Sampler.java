package org.threadlab.os;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Samples threads on a daemon thread of its own. Cheap by design: each watched thread's
 * {@code schedstat} and {@code stat} under {@code /proc/PID/task/TID/} stay open and are re-read in
 * place ({@code pread} at offset 0 makes the OS kernel regenerate them), so a tick costs one small
 * read per thread ({@code schedstat}; {@code stat} only for threads that ran, see {@link #read})
 * plus one for the thread count. The task directory is listed only when that count moves and at
 * every 10th tick, and the full snapshot with Java matching runs only when new threads appear.
 */
final class Sampler {
    private final long pid;
    private final int everyMs;
    private final Predicate<OsThread> which;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<Long, Tracked> tracked = new HashMap<>();
    private final Set<Long> ignored = new HashSet<>();
    private final Map<Long, Integer> pending = new HashMap<>();
    private final CountDownLatch firstTick = new CountDownLatch(1);
    private final List<String> unavailable = new ArrayList<>();
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1024);
    private final byte[] bytes = new byte[1024];
    /** The /proc reader for the fast path; null where OSHI is the backend (then each tick is a full snapshot). */
    private final ProcBackend proc;
    private final Path taskDir;
    private long lastCount = -1;
    private volatile boolean stop;
    private Thread thread;
    private int ticks;
    private long startNanos, endNanos, cpuNanos = -1;
    private volatile RuntimeException failure;

    private static final class Tracked {
        final long tid;
        String name;
        OsThread.Kind kind;
        int cell;
        FileChannel channel, sched;
        boolean ended, dropped, reopen;
        long lastRun = -1, lastWait = -1;
        char lastState = '?';
        int lastCpu = -1;

        Tracked(OsThread t) {
            tid = t.tid();
            learn(t);
        }

        void learn(OsThread t) {
            name = t.displayName();
            kind = t.kind();
            cell = t.cell();
        }
    }

    Sampler(long pid, int everyMs, Predicate<OsThread> which) {
        if (everyMs < 1) throw new IllegalArgumentException("sample every " + everyMs + " ms? give at least 1 ms (10 ms is a good start)");
        this.pid = pid;
        this.everyMs = everyMs;
        this.which = which;
        this.proc = Os.BACKEND instanceof ProcBackend p ? p : null;
        this.taskDir = proc == null ? null : Path.of(proc.proc.path(pid + "/task"));
        Os.process(pid);   // fails with a clear message when there is no such process
    }

    static Samples watch(long pid, int everyMs, Predicate<OsThread> which, Body body) {
        Sampler s = new Sampler(pid, everyMs, which);
        s.start();
        try {
            Body.runThrowing(body);
        } finally {
            s.stop();
        }
        return s.result();
    }

    void start() {
        thread = Os.helper("threadlab-sampler", this::loop);
        thread.start();
        boolean interrupted = false;
        while (firstTick.getCount() > 0) {
            try {
                firstTick.await();
            } catch (InterruptedException e) {
                interrupted = true;   // still wait: the first look must come before the body runs
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    void stop() {
        stop = true;
        LockSupport.unpark(thread);
        Os.join(thread, Long.MAX_VALUE);
    }

    Samples result() {
        if (failure != null) throw failure;
        // the names learnt last are the right ones (see pending): give them to every sample
        List<Sample> named = new ArrayList<>(samples.size());
        for (Sample x : samples) {
            Tracked t = tracked.get(x.tid());
            if (t != null && t.dropped) continue;
            named.add(t == null || (t.name.equals(x.name()) && t.kind == x.kind()) ? x
                    : new Sample(x.tick(), x.atNanos(), x.pid(), x.tid(), t.name, x.state(), x.cpuMs(), x.lastCpu(), t.kind, t.cell));
        }
        return new Samples(pid, everyMs, ticks, endNanos - startNanos, cpuNanos, named, unavailable);
    }

    private void loop() {
        var mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
        long self = proc != null ? ownTid() : -1;
        if (self > 0 && pid == Os.self()) ignored.add(self);
        startNanos = System.nanoTime();
        long every = everyMs * 1_000_000L;
        long next = startNanos;
        try {
            while (true) {
                boolean last = stop;
                try {
                    if (!tick(ticks, System.nanoTime() - startNanos)) break;   // the process is gone
                } finally {
                    ticks++;
                    firstTick.countDown();
                }
                if (last) break;
                next += every;
                long now = System.nanoTime();
                if (next < now) next = now + every - (now - next) % every;   // fell behind: skip ticks, keep the phase
                while (!stop && (now = System.nanoTime()) < next) LockSupport.parkNanos(next - now);
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            endNanos = System.nanoTime();
            if (cpu0 >= 0) cpuNanos = mx.getCurrentThreadCpuTime() - cpu0;
            for (Tracked t : tracked.values()) close(t);
            try {
                if (processStat != null) processStat.close();
            } catch (IOException ignored) {
                // nothing was written
            }
            firstTick.countDown();
        }
    }

    private long ownTid() {
        try {
            String s = Files.readSymbolicLink(Path.of(proc.proc.path("thread-self"))).toString();
            return Long.parseLong(s.substring(s.lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private FileChannel processStat;
    private final long[] threadsField = new long[1];
    private static final int[] NUM_THREADS = {20};

    /**
     * The process's thread count; -1 when it cannot be told (then the directory is listed). Read
     * from the first thread's own stat (field 20): the process-wide stat gives the same number but
     * sums the times of every thread first, which costs ten times more.
     */
    private long taskCount() {
        try {
            if (processStat == null) processStat = FileChannel.open(taskDir.resolve(pid + "/stat"), StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return readStat(processStat, NUM_THREADS, threadsField) == 0 ? -1 : threadsField[0];
    }

    /** One look at every watched thread; false once the process has ended. */
    private boolean tick(int tick, long at) {
        if (proc == null) return tickPortable(tick, at);
        // listing the task directory costs as much as reading 20 stat files: do it only when the
        // thread count moved, and every 10th tick in case one thread ended as another began
        long count = taskCount();
        if (count >= 0 && tick % 10 != 0 && pending.isEmpty() && count == lastCount) {
            readAll(tick, at, null);
            return true;
        }
        lastCount = count;
        List<Long> tids = proc.proc.tasks(pid);
        if (tids.isEmpty()) return false;
        boolean fresh = !pending.isEmpty();
        for (long tid : tids) {
            if (!tracked.containsKey(tid) && !ignored.contains(tid)) {
                fresh = true;
                break;
            }
        }
        if (fresh) {
            ThreadList now;
            try {
                now = proc.threads(pid, false);
            } catch (IllegalArgumentException gone) {
                return false;
            }
            pending.keySet().retainAll(tids);
            long recent = System.currentTimeMillis() - 2000;
            for (OsThread t : now) {
                Tracked known = tracked.get(t.tid());
                if (known != null) {
                    if (pending.containsKey(t.tid())) {
                        int seen = pending.merge(t.tid(), 1, Integer::sum);
                        if (t.kind() != OsThread.Kind.NATIVE) {
                            known.learn(t);
                            if (!which.test(t)) {   // JVM machinery after all (a new JIT thread): forget it
                                known.dropped = true;
                                known.ended = true;
                                close(known);
                            }
                        }
                        if (t.kind() != OsThread.Kind.NATIVE || seen >= 5) pending.remove(t.tid());
                    }
                    continue;
                }
                if (ignored.contains(t.tid())) continue;
                // a new thread's OS thread exists a moment before the JVM lists it: until the JVM
                // does, it looks native; look again at the next ticks before judging it
                boolean unsure = t.kind() == OsThread.Kind.NATIVE && t.startMillis() > recent;
                if (!which.test(t)) {
                    int seen = unsure ? pending.merge(t.tid(), 1, Integer::sum) : 5;
                    if (seen >= 5) {
                        pending.remove(t.tid());
                        ignored.add(t.tid());
                    }
                    continue;
                }
                if (unsure) pending.putIfAbsent(t.tid(), 1);
                else pending.remove(t.tid());
                Tracked tr = new Tracked(t);
                // two files per thread stay open, up to a point: thousands of threads must not use
                // up the descriptors the watched program needs (beyond it, files open at each tick)
                tr.reopen = keptOpen >= MAX_KEPT;
                if (!open(tr)) {
                    ignored.add(t.tid());   // ended in between
                    continue;
                }
                tracked.put(t.tid(), tr);
                if (tr.reopen) close(tr);
                else keptOpen++;
            }
        }
        readAll(tick, at, new HashSet<>(tids));
        return true;
    }

    private void readAll(int tick, long at, Set<Long> alive) {
        for (Tracked t : tracked.values()) {
            if (t.ended) continue;
            // a thread that is leaving may still answer from its open file: a listing is the truth
            if (alive != null && !alive.contains(t.tid) || !read(t, tick, at)) {
                t.ended = true;
                close(t);
            }
        }
    }

    private static final int[] TASK_FIELDS = {14, 15, 39};   // utime, stime, processor
    private final long[] values = new long[3];

    private final long[] sched = new long[2];
    static final int MAX_KEPT = 256;
    private int keptOpen;

    /**
     * One look at one thread. {@code schedstat} (run and run-queue wait times, in ns) is cheap to
     * read, {@code stat} costs twice as much; so {@code stat} is read only when the thread ran since
     * the last tick (its state and CPU may have changed), when it was running and did not wait
     * (it may have gone to sleep), and at every 10th tick. Otherwise nothing changed that
     * {@code stat} would show: a thread that neither ran nor waited for a CPU keeps its state, one
     * that waited for a CPU is runnable (R), and its last CPU is the same.
     */
    private boolean open(Tracked t) {
        try {
            t.channel = FileChannel.open(taskDir.resolve(t.tid + "/stat"), StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        try {
            t.sched = FileChannel.open(taskDir.resolve(t.tid + "/schedstat"), StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
            t.sched = null;   // a kernel without schedstats: stat at every tick
        }
        return true;
    }

    private boolean read(Tracked t, int tick, long at) {
        if (t.reopen && !open(t)) return false;
        try {
            return readOpen(t, tick, at);
        } finally {
            if (t.reopen) close(t);
        }
    }

    private boolean readOpen(Tracked t, int tick, long at) {
        long cpuMs;
        char state;
        int cpu;
        if (t.sched != null && readSchedstat(t.sched, sched)) {
            boolean ran = t.lastRun < 0 || sched[0] != t.lastRun;
            boolean waited = t.lastWait >= 0 && sched[1] != t.lastWait;
            t.lastRun = sched[0];
            t.lastWait = sched[1];
            cpuMs = sched[0] / 1_000_000;
            if (ran || tick % 10 == 0 || t.lastState == 'R' && !waited) {
                state = readStat(t.channel, TASK_FIELDS, values);
                cpu = (int) values[2];
            } else {
                state = waited ? 'R' : t.lastState;
                cpu = t.lastCpu;
            }
        } else {
            state = readStat(t.channel, TASK_FIELDS, values);
            cpuMs = values[0] < 0 || values[1] < 0 ? -1 : (values[0] + values[1]) * Procfs.MS_PER_TICK;
            cpu = (int) values[2];
        }
        if (state == 0 || state == 'Z' || state == 'X') return false;   // reaped, or on its way out
        t.lastState = state;
        t.lastCpu = cpu;
        samples.add(new Sample(tick, at, pid, t.tid, t.name, state, cpuMs, cpu, t.kind, t.cell));
        return true;
    }

    /** Run time and run-queue wait of a task, in ns, from its schedstat; false when it can no longer be read. */
    private boolean readSchedstat(FileChannel ch, long[] out) {
        int n;
        try {
            buf.clear();
            n = ch.read(buf, 0);
        } catch (IOException e) {
            return false;
        }
        if (n <= 0) return false;
        buf.flip();
        buf.get(bytes, 0, n);
        int i = 0;
        for (int k = 0; k < 2; k++) {
            while (i < n && bytes[i] == ' ') i++;
            long v = 0;
            int start = i;
            while (i < n && bytes[i] >= '0' && bytes[i] <= '9') v = v * 10 + (bytes[i++] - '0');
            if (i == start) return false;
            out[k] = v;
        }
        return true;
    }

    /**
     * Re-reads a stat file in place and picks numeric fields (numbered as in proc(5)) into
     * {@code out} (-1 when missing), without making strings; returns the state letter, or 0 when
     * the file can no longer be read.
     */
    private char readStat(FileChannel ch, int[] wanted, long[] out) {
        int n;
        try {
            buf.clear();
            n = ch.read(buf, 0);
        } catch (IOException e) {
            return 0;
        }
        if (n <= 0) return 0;
        buf.flip();
        buf.get(bytes, 0, n);
        int close = n - 1;
        while (close > 0 && bytes[close] != ')') close--;
        if (close <= 0 || close + 2 >= n) return 0;
        java.util.Arrays.fill(out, -1);
        char state = (char) bytes[close + 2];
        int field = 3, w = 0, i = close + 2;
        while (i < n && w < wanted.length) {
            while (i < n && bytes[i] == ' ') i++;
            if (field == wanted[w]) {
                long v = 0;
                boolean neg = i < n && bytes[i] == '-';
                if (neg) i++;
                while (i < n && bytes[i] >= '0' && bytes[i] <= '9') v = v * 10 + (bytes[i++] - '0');
                out[w++] = neg ? -v : v;
            }
            while (i < n && bytes[i] != ' ') i++;
            field++;
        }
        return state;
    }

    private static void close(Tracked t) {
        try {
            if (t.channel != null) t.channel.close();
            if (t.sched != null) t.sched.close();
        } catch (IOException ignored) {
            // closing a /proc file cannot lose data
        }
        t.channel = null;
        t.sched = null;
    }

    private boolean tickPortable(int tick, long at) {
        ThreadList now;
        try {
            now = Os.threads(pid);
        } catch (IllegalArgumentException gone) {
            return false;
        }
        if (tick == 0) unavailable.addAll(now.unavailable());
        for (OsThread t : now) {
            if (ignored.contains(t.tid())) continue;
            if (!tracked.containsKey(t.tid())) {
                if (!which.test(t)) {
                    ignored.add(t.tid());
                    continue;
                }
                tracked.put(t.tid(), new Tracked(t));
            }
            Tracked tr = tracked.get(t.tid());
            samples.add(new Sample(tick, at, pid, t.tid(), tr.name, t.state(), t.cpuMs(), t.lastCpu(), tr.kind, tr.cell));
        }
        return true;
    }
}
