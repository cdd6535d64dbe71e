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
        Set<Long> alive = new HashSet<>(tids);
        for (Tracked t : tracked.values()) {
            if (t.ended) continue;
            // an open stat file of a reaped thread may still answer: the listing is the truth
            if (!alive.contains(t.tid) || !read(t, tick, at)) {
                t.ended = true;
                close(t);
            }
        }
        return true;
    }

    private boolean read(Tracked t, int tick, long at) {
        int n;
        try {
            buf.clear();
            n = t.channel.read(buf, 0);
        } catch (IOException e) {
            return false;   // the thread was reaped
        }
        if (n <= 0) return false;
        buf.flip();
        buf.get(bytes, 0, n);
        int close = n - 1;
        while (close > 0 && bytes[close] != ')') close--;
        if (close <= 0 || close + 2 >= n) return false;
        // fields after the name: 3 state, 14 utime, 15 stime, 39 processor
        char state = (char) bytes[close + 2];
        long utime = -1, stime = -1, processor = -1;
        int field = 3;
        int i = close + 2;
        while (i < n && field <= 39) {
            while (i < n && bytes[i] == ' ') i++;
            if (field == 14 || field == 15 || field == 39) {
                long v = 0;
                boolean neg = false;
                if (i < n && bytes[i] == '-') {
                    neg = true;
                    i++;
                }
                while (i < n && bytes[i] >= '0' && bytes[i] <= '9') v = v * 10 + (bytes[i++] - '0');
                if (neg) v = -v;
                if (field == 14) utime = v;
                else if (field == 15) stime = v;
                else processor = v;
            }
            while (i < n && bytes[i] != ' ') i++;
            field++;
        }
        if (state == 'Z' || state == 'X') return false;
        long cpuMs = utime < 0 || stime < 0 ? -1 : (utime + stime) * Procfs.MS_PER_TICK;
        samples.add(new Sample(tick, at, pid, t.tid, t.name, state, cpuMs, (int) processor, t.kind, t.cell));
        return true;
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
