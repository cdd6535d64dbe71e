package org.threadlab.kernel;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A sign of life for long cells: once a cell has run {@value #AFTER_MS} ms it gets a grey line
 * "running... 4 s" (display data with a display id, see {@link CellOutput#notice}) that is updated
 * in place every second, and when the cell ends the same line says "ran 11.2 s" (or "stopped after
 * 7.3 s" when it was interrupted). A cell that ends sooner gets nothing: its outputs are exactly as
 * without this class. One scheduler thread serves every cell; a short cell costs one scheduled task,
 * cancelled when it ends.
 *
 * <pre>{@code
 * CellProgress progress = new CellProgress(output);
 * progress.begin(7);          // cell 7 starts
 * ...                         // after 3 s: "running... 3 s", then every second
 * progress.end(7);            // "ran 11.2 s" if the line was shown, else nothing
 * }</pre>
 */
final class CellProgress {
    static final long AFTER_MS = 3000;
    static final long EVERY_MS = 1000;

    /** The running cell, its start, and whether its line is shown; replaced by each {@link #begin}. */
    private static final class Run {
        final int cell;
        final long start = System.nanoTime();
        final String id;
        ScheduledFuture<?> ticks;
        boolean shown;
        boolean stopped;

        Run(int cell, String id) {
            this.cell = cell;
            this.id = id;
        }

        double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private final CellOutput output;
    private final long afterMs;
    private final long everyMs;
    private final ScheduledThreadPoolExecutor scheduler;
    private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
    private Run current;

    CellProgress(CellOutput output) {
        this(output, AFTER_MS, EVERY_MS);
    }

    CellProgress(CellOutput output, long afterMs, long everyMs) {
        this.output = output;
        this.afterMs = afterMs;
        this.everyMs = everyMs;
        this.scheduler = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "threadlab-progress");
            t.setDaemon(true);
            return t;
        });
        // a short cell's cancelled task must not wait in the queue until its time comes
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /** Cell {@code cell} starts running now. */
    synchronized void begin(int cell) {
        if (current != null) finish(current, false);
        Run r = new Run(cell, "threadlab-progress-" + cell + "-" + ProcessHandle.current().pid() + "-" + ids.incrementAndGet());
        current = r;
        try {
            r.ticks = scheduler.scheduleAtFixedRate(() -> tick(r), afterMs, everyMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the kernel is shutting down
        }
    }

    /** The running cell was interrupted: no more "running..." for it; its end says "stopped". */
    synchronized void interrupted() {
        if (current != null) current.stopped = true;
    }

    /** Cell {@code cell} ended: its line, if shown, says how long it ran. */
    synchronized void end(int cell) {
        Run r = current;
        if (r == null || r.cell != cell) return;
        current = null;
        finish(r, r.stopped);
    }

    private void finish(Run r, boolean stopped) {
        if (r.ticks != null) r.ticks.cancel(false);
        if (!r.shown) return;
        String text = String.format(Locale.ROOT, stopped ? "stopped after %.1f s" : "ran %.1f s", r.seconds());
        output.notice(r.cell, r.id, true, text);
    }

    private void tick(Run r) {
        synchronized (this) {
            // end() holds this lock while it cancels: a tick that lost the race finds another run here
            if (current != r || r.stopped) return;
            String text = String.format(Locale.ROOT, "running... %d s", Math.round(r.seconds()));
            output.notice(r.cell, r.id, r.shown, text);
            r.shown = true;
        }
    }

    void close() {
        scheduler.shutdownNow();
    }
}
