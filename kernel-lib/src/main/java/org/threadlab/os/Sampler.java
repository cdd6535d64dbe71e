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
 * {@code /proc/PID/task/TID/stat} stays open and is re-read in place ({@code pread} at offset 0,
 * which makes the OS kernel regenerate it), so a tick costs one system call per thread plus one
 * directory listing; the full snapshot with Java matching runs only when new threads appear.
 */
final class Sampler {
    private final long pid;
    private final int everyMs;
    private final Predicate<OsThread> which;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<Long, Tracked> tracked = new HashMap<>();
    private final Set<Long> ignored = new HashSet<>();
    private final CountDownLatch firstTick = new CountDownLatch(1);
    private final List<String> unavailable = new ArrayList<>();
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1024);
    private final byte[] bytes = new byte[1024];
    private FileChannel processStat;
    private long lastCount = -1;
    private volatile boolean stop;
    private Thread thread;
    private int ticks;
    private long startNanos, endNanos, cpuNanos = -1;
    private volatile RuntimeException failure;

    private static final class Tracked {
        final long tid;
        final String name;
        final OsThread.Kind kind;
        final int cell;
        FileChannel channel;
        boolean ended;

        Tracked(OsThread t) {
            tid = t.tid();
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
        Os.process(pid);   // fails with a clear message when there is no such process
    }

    static Samples watch(long pid, int everyMs, Predicate<OsThread> which, Runnable body) {
        Sampler s = new Sampler(pid, everyMs, which);
        s.start();
        try {
            body.run();
        } finally {
            s.stop();
        }
        return s.result();
    }

    void start() {
        thread = new Thread(this::loop, "threadlab-sampler");
        thread.setDaemon(true);
        thread.start();
        try {
            firstTick.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() {
        stop = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Samples result() {
        if (failure != null) throw failure;
        return new Samples(pid, everyMs, ticks, endNanos - startNanos, cpuNanos, samples, unavailable);
    }

    private void loop() {
        var mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
        long self = Os.LINUX ? ownTid() : -1;
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

    private static long ownTid() {
        try {
            String s = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Long.parseLong(s.substring(s.lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** One look at every watched thread; false once the process has ended. */
    private boolean tick(int tick, long at) {
        if (!Os.LINUX) return tickPortable(tick, at);
        // listing the task directory costs as much as reading 20 stat files: do it only when the
        // thread count moved, and every 10th tick in case one thread ended as another began
        long[] count = new long[1];
        if (processStat != null && tick % 10 != 0 && readStat(processStat, PROCESS_FIELDS, count) != 0 && count[0] == lastCount) {
            readAll(tick, at, null);
            return true;
        }
        if (processStat == null) {
            try {
                processStat = FileChannel.open(Path.of("/proc/" + pid + "/stat"), StandardOpenOption.READ);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
        if (readStat(processStat, PROCESS_FIELDS, count) == 0) return false;
        lastCount = count[0];
        List<Long> tids = Procfs.numericEntries("/proc/" + pid + "/task");
        if (tids.isEmpty()) return false;
        boolean fresh = false;
        for (long tid : tids) {
            if (!tracked.containsKey(tid) && !ignored.contains(tid)) {
                fresh = true;
                break;
            }
        }
        if (fresh) {
            ThreadList now;
            try {
                now = Os.linuxThreads(pid, false);
            } catch (IllegalArgumentException gone) {
                return false;
            }
            for (OsThread t : now) {
                if (tracked.containsKey(t.tid()) || ignored.contains(t.tid())) continue;
                if (!which.test(t)) {
                    ignored.add(t.tid());
                    continue;
                }
                Tracked tr = new Tracked(t);
                try {
                    tr.channel = FileChannel.open(Path.of("/proc/" + pid + "/task/" + t.tid() + "/stat"), StandardOpenOption.READ);
                    tracked.put(t.tid(), tr);
                } catch (IOException | RuntimeException e) {
                    ignored.add(t.tid());   // ended in between
                }
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
    private static final int[] PROCESS_FIELDS = {20};         // num_threads
    private final long[] values = new long[3];

    private boolean read(Tracked t, int tick, long at) {
        char state = readStat(t.channel, TASK_FIELDS, values);
        if (state == 0 || state == 'Z' || state == 'X') return false;   // reaped, or on its way out
        long cpuMs = values[0] < 0 || values[1] < 0 ? -1 : (values[0] + values[1]) * Procfs.MS_PER_TICK;
        samples.add(new Sample(tick, at, pid, t.tid, t.name, state, cpuMs, (int) values[2], t.kind, t.cell));
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
        } catch (IOException ignored) {
            // closing a /proc file cannot lose data
        }
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
