package org.threadlab.os;

import org.threadlab.display.Notebook;
import org.threadlab.display.Table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A live table of threads that updates in place in the notebook (Jupyter's
 * {@code update_display_data}) from a daemon thread, like {@code top -H} for one process. It stops
 * by itself when every watched thread has ended, when the watched process exits, or after its
 * maximum duration (60 s by default); {@link #stop()} stops it sooner. Outside a notebook it prints
 * the table each time a thread appears, ends or changes state.
 *
 * <pre>{@code
 * Monitor m = monitor();                 // the threads of this and earlier cells, every 500 ms
 * for (int i = 0; i < 3; i++) new Thread(() -> { long x = 0; while (x >= 0) x++; }).start();
 * m.stop();                              // or let it stop when they end, or after 60 s
 *
 * monitor(200, () -> runExperiment());   // watch while the block runs, stop right after
 * }</pre>
 *
 * Cost: one snapshot per tick on the monitor's thread (see {@link Os#threads(long)}), so a few
 * milliseconds of CPU per update at most.
 */
public final class Monitor {
    /** The default cap on how long a monitor runs. */
    public static final Duration MAX = Duration.ofSeconds(60);

    private final long pid;
    private final int everyMs;
    private final Predicate<OsThread> which;
    private final long maxNanos;
    private final Thread thread;
    private volatile boolean stop;
    private volatile String why = "running";
    private volatile ThreadList last;
    private volatile int updates;
    private final Map<Long, Long> lastCpu = new HashMap<>();
    private long lastAt;

    private Monitor(long pid, int everyMs, Predicate<OsThread> which, Duration max) {
        if (everyMs < 10) throw new IllegalArgumentException("update every " + everyMs + " ms? give at least 10 ms (the notebook cannot redraw faster; 500 ms is a good start)");
        Os.process(pid);   // a clear message if there is no such process
        this.pid = pid;
        this.everyMs = everyMs;
        this.maxNanos = max.toNanos();
        this.thread = Os.helper("threadlab-monitor", this::loop);
        this.which = t -> t.javaThread() != thread && which.test(t);
    }

    /**
     * Starts a monitor of the threads of {@code pid} that match {@code which}, updated every
     * {@code everyMs} ms, for at most {@code max}.
     */
    public static Monitor start(long pid, int everyMs, Predicate<OsThread> which, Duration max) {
        Monitor m = new Monitor(pid, everyMs, which, max);
        m.thread.start();
        return m;
    }

    /**
     * The threads a cell cares about: inside a notebook cell, every thread started by a cell
     * (the cell's own thread included); elsewhere the application's threads (no JVM machinery,
     * no ThreadLab plumbing).
     */
    public static Predicate<OsThread> cellThreads() {
        boolean inCell = JavaThreads.cellOf(Thread.currentThread()) >= 0;
        return inCell ? t -> t.cell() >= 0
                : t -> (t.kind() == OsThread.Kind.JAVA || t.kind() == OsThread.Kind.CARRIER) && !t.displayName().startsWith("threadlab-");
    }

    /** Runs {@code body} on the calling thread while a monitor of this JVM's cell threads updates every {@code everyMs} ms; stops after it. */
    public static Monitor during(int everyMs, Body body) {
        Monitor m = start(Os.self(), everyMs, cellThreads(), MAX);
        try {
            Body.runThrowing(body);
        } finally {
            m.stop();
        }
        return m;
    }

    /** Stops the monitor and waits for its last update. */
    public void stop() {
        if (why.equals("running")) why = "stopped";
        stop = true;
        java.util.concurrent.locks.LockSupport.unpark(thread);   // not interrupt(): that would close the /proc files it reads
        Os.join(thread, 10_000);
    }

    /** {@code true} while it still updates. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Waits up to {@code millis} ms for the monitor to stop by itself; returns whether it did. */
    public boolean awaitEnd(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    /** Why it stopped ("all watched threads ended", "process 42 ended", "reached its maximum duration, 60.0 s", "stopped"), or "running". */
    public String why() { return why; }

    /** How many times the table was drawn. */
    public int updates() { return updates; }

    /** The watched threads at the last update (empty before the first). */
    public ThreadList last() { return last; }

    private void loop() {
        long start = System.nanoTime();
        String id = null;
        String lastText = null;
        int emptyTicks = 0;
        boolean rich = Notebook.isRich();
        while (true) {
            ThreadList now;
            try {
                now = Os.threads(pid).filter(which);
            } catch (IllegalArgumentException gone) {
                now = null;
                why = "process " + pid + " ended";
            }
            long elapsed = System.nanoTime() - start;
            boolean end = stop || now == null;
            if (now != null) {
                last = now;
                emptyTicks = now.isEmpty() ? emptyTicks + 1 : 0;
                // twice in a row, so that a thread between start() and its first look does not end the watch
                if (emptyTicks >= 2 && why.equals("running")) {
                    why = "all watched threads ended";
                    end = true;
                }
                if (elapsed >= maxNanos && why.equals("running")) {
                    why = String.format("reached its maximum duration, %.1f s", maxNanos / 1e9);
                    end = true;
                }
            }
            Table view = view(last, elapsed, end);
            String text = last == null ? "" : stateText(last);
            if (id == null) id = Notebook.display(view);
            else if (rich || end || !text.equals(lastText)) Notebook.update(id, view);
            lastText = text;
            updates++;
            if (end) return;
            long wake = System.nanoTime() + everyMs * 1_000_000L;
            long left;
            while (!stop && (left = wake - System.nanoTime()) > 0) java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }

    /** What outside a notebook decides whether to print again: the threads and their states. */
    private static String stateText(ThreadList l) {
        StringBuilder sb = new StringBuilder();
        for (OsThread t : l) sb.append(t.tid()).append(t.state()).append(' ');
        return sb.toString();
    }

    private Table view(ThreadList l, long elapsedNanos, boolean end) {
        long at = System.nanoTime();
        double window = lastAt == 0 ? 0 : (at - lastAt) / 1e6;
        List<List<String>> rows = new ArrayList<>();
        Map<Long, Long> cpuNow = new HashMap<>();
        if (l != null) {
            for (OsThread t : l) {
                Long before = lastCpu.get(t.tid());
                String pct = before == null || window <= 0 || t.cpuMs() < 0 ? "" : Math.round(100.0 * (t.cpuMs() - before) / window) + "%";
                cpuNow.put(t.tid(), t.cpuMs());
                rows.add(List.of(Long.toString(t.tid()), t.displayName(), String.valueOf(t.state()), t.stateWord(), pct,
                        ThreadList.num(t.cpuMs()), ThreadList.num(t.lastCpu()), t.cell() < 0 ? "" : Integer.toString(t.cell()),
                        t.javaState() == null ? "" : t.javaState().toString()));
            }
        }
        lastCpu.clear();
        lastCpu.putAll(cpuNow);
        lastAt = at;
        String title = String.format("pid %d: %d threads, %.1f s, every %d ms%s", pid, rows.size(), elapsedNanos / 1e9, everyMs,
                end ? " - done: " + why : "");
        return Table.of(List.of("TID", "NAME", "S", "STATE", "CPU%", "CPU_MS", "PSR", "CELL", "JAVA_STATE"), rows).titled(title);
    }

    @Override
    public String toString() {
        return "monitor of pid " + pid + " every " + everyMs + " ms: " + why + ", " + updates + " updates";
    }
}
