package org.threadlab.time;

import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A simulated global interpreter lock, to show Python's threads in Java: a thread must hold the
 * lock to run its work, so only one runs at a time however many cores there are.
 *
 * <p>Like CPython (3.2 and later) the holder gives the lock up only at check-in points: a work
 * loop calls {@link #checkpoint()} (cheap; CPython checks between bytecodes), and once the holder
 * has run for the switch interval (default 5 ms, Python's {@code sys.getswitchinterval()}) while
 * another thread waits, it hands the lock over. The lock is fair (first come, first served), so
 * the hand-over always goes to a waiting thread, not back to the thread that just let go: CPython's
 * "forced switching". Blocking calls wrapped in {@link #io(Block)} release the lock while they
 * wait, as Python's I/O and {@code time.sleep} do, so I/O-bound threads still overlap.
 *
 * <pre>{@code
 * Gil gil = new Gil();
 * Runnable task = () -> gil.run(() -> {
 *     long x = 0;
 *     for (int i = 0; i < 1_000_000; i++) { gil.checkpoint(); x += i; }
 * });
 * // 4 threads running task take as long as 1 thread running it 4 times
 * gil.stats();   // acquisitions, forced switches, waits; maxInside is always 1
 * }</pre>
 */
public final class Gil {
    /** Check-ins between two reads of the clock: keeps {@link #checkpoint()} at about a nanosecond. */
    private static final int CHECK_EVERY = 64;

    private final ReentrantLock lock;
    private final boolean fair;
    private final long intervalNanos;

    // written only by the thread holding the lock
    private long acquiredAt;
    private int budget;
    private Thread lastOwner;

    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger maxInside = new AtomicInteger();
    private final LongAdder acquisitions = new LongAdder();
    private final LongAdder contended = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();
    private final java.util.concurrent.atomic.AtomicLong maxWaitNanos = new java.util.concurrent.atomic.AtomicLong();
    private final LongAdder forcedSwitches = new LongAdder();
    private final LongAdder ioReleases = new LongAdder();
    private final LongAdder handoffs = new LongAdder();
    private final Map<Thread, LongAdder> heldNanos = new ConcurrentHashMap<>();

    /** A GIL with CPython's default switch interval, 5 ms. */
    public Gil() {
        this(5);
    }

    /** A GIL whose holder hands over after {@code switchIntervalMs} milliseconds when others wait. */
    public Gil(double switchIntervalMs) {
        this(switchIntervalMs, true);
    }

    /**
     * A GIL with a choice of hand-over. {@code fair = true} is CPython 3.2+: a releasing thread
     * queues behind the waiting ones. {@code fair = false} is the old GIL of Python 2: the
     * releasing thread may take the lock straight back before a woken waiter gets to run, so a
     * busy thread can starve the others (compare {@link GilStats#maxWaitMs()} of both).
     */
    public Gil(double switchIntervalMs, boolean fair) {
        if (!(switchIntervalMs > 0) || switchIntervalMs > 60_000) {
            throw new IllegalArgumentException("switch interval must be between 0 and 60000 ms (CPython's default is 5), got "
                    + switchIntervalMs);
        }
        this.intervalNanos = Math.round(switchIntervalMs * 1e6);
        this.fair = fair;
        this.lock = new ReentrantLock(fair);
    }

    /** {@code true} when the GIL hands over first come, first served (CPython 3.2+). */
    public boolean fair() {
        return fair;
    }

    /** The switch interval, in milliseconds. */
    public double switchIntervalMs() {
        return intervalNanos / 1e6;
    }

    /**
     * Runs {@code work} holding the GIL, waiting for it first. A thread that already holds it just
     * runs {@code work}. Waiting can be interrupted (the cell's stop button works).
     */
    public void run(Block work) {
        if (lock.isHeldByCurrentThread()) {
            Block.runUnchecked(work);
            return;
        }
        acquire();
        try {
            Block.runUnchecked(work);
        } finally {
            releaseIfHeld();
        }
    }

    /** {@link #run(Block)} for work with a result. A checked exception is rethrown wrapped. */
    public <T> T run(Callable<T> work) {
        if (lock.isHeldByCurrentThread()) return call(work);
        acquire();
        try {
            return call(work);
        } finally {
            releaseIfHeld();
        }
    }

    /**
     * A check-in point for work running inside {@link #run}: hands the GIL to a waiting thread
     * when this one has held it for the switch interval, then waits for its next turn. Call it
     * often (every loop iteration is fine: it reads the clock only every 64 calls).
     *
     * @throws IllegalStateException when the calling thread does not hold the GIL
     */
    public void checkpoint() {
        // the common call only counts down: the owner check cost as much as a step of a small loop
        // (a thread running alone under the GIL ran at 0.6x), and misuse is still caught within 64 calls
        if (--budget > 0) return;
        budget = CHECK_EVERY;
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("gil.checkpoint() outside gil.run(...): wrap the loop, "
                    + "gil.run(() -> { for (...) { gil.checkpoint(); ... } })");
        }
        if (System.nanoTime() - acquiredAt >= intervalNanos && lock.hasQueuedThreads()) {
            forcedSwitches.increment();
            release();
            acquire();
        }
    }

    /**
     * Runs a blocking call ({@code Thread.sleep}, reading a file or a socket) with the GIL
     * released, and takes it back afterwards, as Python does around I/O. Outside {@link #run}
     * it just runs {@code blocking}.
     */
    public void io(Block blocking) {
        io(Bench.callable(blocking));
    }

    /** {@link #io(Block)} for a blocking call with a result. */
    public <T> T io(Callable<T> blocking) {
        if (!lock.isHeldByCurrentThread()) return call(blocking);
        ioReleases.increment();
        release();
        long start = System.nanoTime();
        try {
            return call(blocking);
        } finally {
            if (recordFrom >= 0) log(start, System.nanoTime(), IO);
            acquire();
        }
    }

    /** Sleeps {@code ms} milliseconds with the GIL released, like Python's {@code time.sleep}. */
    public void sleep(long ms) {
        io(() -> {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sleeping", e);
            }
        });
    }

    /**
     * A pool of {@code threads} platform threads whose every task runs inside this GIL: the Java
     * counterpart of Python's {@code ThreadPoolExecutor}. Shut it down (or use try-with-resources)
     * when done.
     */
    public ExecutorService executor(int threads) {
        if (threads < 1) throw new IllegalArgumentException("a pool needs at least 1 thread, got " + threads);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "gil-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new GilExecutor(Executors.newFixedThreadPool(threads, tf));
    }

    private final class GilExecutor extends AbstractExecutorService {
        private final ExecutorService pool;

        GilExecutor(ExecutorService pool) { this.pool = pool; }

        @Override public void execute(Runnable command) { pool.execute(() -> Gil.this.run(command::run)); }
        @Override public void shutdown() { pool.shutdown(); }
        @Override public List<Runnable> shutdownNow() { return pool.shutdownNow(); }
        @Override public boolean isShutdown() { return pool.isShutdown(); }
        @Override public boolean isTerminated() { return pool.isTerminated(); }
        @Override public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return pool.awaitTermination(timeout, unit);
        }
    }

    /** {@code true} when the calling thread holds the GIL. */
    public boolean heldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** Categories of the recorded activity, as the timeline's legend shows them. */
    public static final String RUNS = "runs (holds the GIL)", WAITS = "waits for the GIL", IO = "I/O (GIL released)";
    /** Most stretches kept by a recording: a few MB, and more than a chart can show. */
    static final int MAX_RECORDED = 200_000;

    private volatile long recordFrom = -1;
    private final java.util.concurrent.ConcurrentLinkedQueue<org.threadlab.display.Activity> recorded =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger recordedCount = new AtomicInteger();

    /**
     * Starts recording who holds the GIL, who waits for it and who is in I/O, from now (earlier
     * records are dropped), for {@link #activities()} and {@link #timeline()}. Returns this GIL.
     * <pre>{@code var gil = gil().record(); ...run threads...; gil.timeline()}</pre>
     */
    public Gil record() {
        recorded.clear();
        recordedCount.set(0);
        recordFrom = System.nanoTime();
        return this;
    }

    /**
     * What was recorded since {@link #record()}: one stretch per hold, wait and I/O call, per
     * thread, in nanoseconds from the start of the recording (at most 200,000 stretches).
     */
    public List<org.threadlab.display.Activity> activities() {
        if (recordFrom < 0) {
            throw new IllegalStateException("nothing recorded: call gil.record() before the threads run, then gil.activities()");
        }
        List<org.threadlab.display.Activity> list = new ArrayList<>(recorded);
        list.sort(Comparator.comparingLong(org.threadlab.display.Activity::startNanos));
        return list;
    }

    /** A timeline of the recording: one row per thread, when it held the GIL, waited for it, or did I/O. */
    public org.threadlab.chart.Chart timeline() {
        return org.threadlab.chart.Charts.timeline("Who holds the GIL", activities());
    }

    private void log(long start, long end, String category) {
        long from = recordFrom;
        if (from < 0 || end <= from || recordedCount.incrementAndGet() > MAX_RECORDED) return;
        recorded.add(new org.threadlab.display.Activity("pid " + ProcessHandle.current().pid(),
                Thread.currentThread().getName(), Math.max(0, start - from), end - from, category));
    }

    /** What the GIL saw so far. */
    public GilStats stats() {
        List<GilStats.ThreadShare> shares = new ArrayList<>();
        for (Map.Entry<Thread, LongAdder> e : heldNanos.entrySet()) {
            Thread t = e.getKey();
            shares.add(new GilStats.ThreadShare(t.getName() + " #" + t.threadId(), e.getValue().sum() / 1e6));
        }
        shares.sort(Comparator.comparing(GilStats.ThreadShare::thread));
        return new GilStats(switchIntervalMs(), fair, acquisitions.sum(), contended.sum(), waitNanos.sum() / 1e6,
                maxWaitNanos.get() / 1e6,
                forcedSwitches.sum(), handoffs.sum(), ioReleases.sum(), maxInside.get(), List.copyOf(shares));
    }

    /** Clears the statistics (not the lock: call it when no thread is inside). */
    public void resetStats() {
        acquisitions.reset();
        contended.reset();
        waitNanos.reset();
        maxWaitNanos.set(0);
        forcedSwitches.reset();
        ioReleases.reset();
        handoffs.reset();
        heldNanos.clear();
        maxInside.set(inside.get());
    }

    private void acquire() {
        long t0 = System.nanoTime();
        // a fair lock's tryLock() barges; with nobody queued barging is harmless and saves a park
        if (fair ? lock.hasQueuedThreads() || !lock.tryLock() : !lock.tryLock()) {
            contended.increment();
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the GIL", e);
            }
            long end = System.nanoTime();
            long waited = end - t0;
            waitNanos.add(waited);
            maxWaitNanos.accumulateAndGet(waited, Math::max);
            if (recordFrom >= 0) log(t0, end, WAITS);
        }
        acquisitions.increment();
        int now = inside.incrementAndGet();
        maxInside.accumulateAndGet(now, Math::max);
        Thread me = Thread.currentThread();
        if (lastOwner != null && lastOwner != me) handoffs.increment();
        lastOwner = me;
        budget = CHECK_EVERY;
        acquiredAt = System.nanoTime();
    }

    private void release() {
        long now = System.nanoTime();
        heldNanos.computeIfAbsent(Thread.currentThread(), t -> new LongAdder()).add(now - acquiredAt);
        if (recordFrom >= 0) log(acquiredAt, now, RUNS);
        inside.decrementAndGet();
        // the next checkpoint() checks the owner at once: one made outside run() after this fails there
        budget = 0;
        lock.unlock();
    }

    private void releaseIfHeld() {
        // an interrupted wait inside checkpoint() or io() leaves the lock not held
        if (lock.isHeldByCurrentThread()) release();
    }

    private static <T> T call(Callable<T> c) {
        try {
            return c.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException("interrupted: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new RuntimeException(e.toString(), e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Gil(switch interval %s ms, %s%s)", Units.ms(switchIntervalMs()),
                fair ? "" : "unfair, ",
                lock.isLocked() ? "held" : "free");
    }

    /**
     * What a {@link Gil} saw.
     *
     * @param switchIntervalMs       the switch interval, in milliseconds
     * @param fair                   whether hand-overs go first come, first served
     * @param acquisitions           times a thread took the lock
     * @param contendedAcquisitions  of those, times it had to wait
     * @param waitMs                 total time threads waited for it, in milliseconds
     * @param maxWaitMs              longest single wait for it, in milliseconds: about (threads - 1)
     *                               x switch interval when hand-over is fair
     * @param forcedSwitches         times a holder handed it over at a check-in point
     * @param handoffs               times the lock went to a different thread than its last holder
     * @param ioReleases             times it was released around a blocking call
     * @param maxInside              most threads ever inside at once (1 for a correct GIL)
     * @param threads                how long each thread held the lock, in milliseconds
     */
    public record GilStats(double switchIntervalMs, boolean fair, long acquisitions, long contendedAcquisitions,
                           double waitMs, double maxWaitMs,
                           long forcedSwitches, long handoffs, long ioReleases, int maxInside,
                           List<ThreadShare> threads) implements Tabular {

        /** How long one thread held the GIL, in milliseconds. */
        public record ThreadShare(String thread, double heldMs) {}

        /**
         * Shortest hold time of a thread divided by the longest: 1.0 when every thread got the
         * same share, near 0 when one thread starved. {@code NaN} with fewer than two threads.
         */
        public double fairness() {
            if (threads.size() < 2) return Double.NaN;
            double min = threads.stream().mapToDouble(ThreadShare::heldMs).min().orElse(0);
            double max = threads.stream().mapToDouble(ThreadShare::heldMs).max().orElse(0);
            return max == 0 ? Double.NaN : min / max;
        }

        /** The figures as a table. */
        public Table table() {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("switch interval", Units.ms(switchIntervalMs), "ms", fair ? "fair: first come, first served" : "unfair, like Python 2"));
            rows.add(List.of("acquisitions", String.valueOf(acquisitions), "", "times a thread took the GIL"));
            rows.add(List.of("had to wait", String.valueOf(contendedAcquisitions), "", "of those, times it was taken"));
            rows.add(List.of("total wait", Units.ms(waitMs), "ms", "all threads together"));
            rows.add(List.of("longest wait", Units.ms(maxWaitMs), "ms", "one thread, once"));
            rows.add(List.of("forced switches", String.valueOf(forcedSwitches), "", "holder gave it up at a check-in"));
            rows.add(List.of("hand-overs", String.valueOf(handoffs), "", "went to another thread"));
            rows.add(List.of("released around I/O", String.valueOf(ioReleases), "", "gil.io(..), gil.sleep(..)"));
            rows.add(List.of("most inside at once", String.valueOf(maxInside), "", "1 for a working GIL"));
            rows.add(List.of("fairness", Double.isNaN(fairness()) ? "-" : String.format(Locale.ROOT, "%.2f", fairness()),
                    "", "least / most held by a thread"));
            // the longest holders first; a pool of many threads would bury the other figures
            List<ThreadShare> byTime = new ArrayList<>(threads);
            byTime.sort(Comparator.comparingDouble(ThreadShare::heldMs).reversed());
            int shown = Math.min(byTime.size(), 8);
            for (ThreadShare s : byTime.subList(0, shown)) rows.add(List.of("held by " + s.thread(), Units.ms(s.heldMs()), "ms", ""));
            if (byTime.size() > shown) rows.add(List.of("held by " + (byTime.size() - shown) + " more threads", "", "", ""));
            return Table.of(List.of("GIL", "value", "unit", "meaning"), rows);
        }

        @Override public String toString() { return table().toString(); }
    }
}
