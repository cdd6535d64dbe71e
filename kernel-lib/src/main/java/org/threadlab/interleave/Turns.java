package org.threadlab.interleave;

import org.threadlab.chart.Chart;
import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chosen order of whole calls, on real threads, switching where a call returns or waits: the
 * schedule of a lost wake-up or of a starving writer, the same on any machine. Each call runs on
 * the thread named in its step (one thread per name, so a thread that locks also unlocks); the
 * next step starts only once every call in progress has returned or waits (in {@code wait()},
 * {@code await()}, a lock, a semaphore). So the order in which threads start to wait is the
 * schedule's, not the machine's.
 *
 * <pre>{@code
 * var relay = new Relay();                                // turn 0; run(me, next) waits for turn me, then passes to next
 * Turns.Result r = Turns.of(relay)
 *         .then("B", "waits for turn 1", x -> x.run(1, 3))
 *         .then("C", "waits for turn 2", x -> x.run(2, 1))
 *         .then("A", "passes to C", x -> x.run(0, 2))
 *         .run();
 * r.stuck();     // with notify(): true (the JVM woke B, the longest waiter; B waits again, C is never woken)
 * r;             // the steps as a table: what each call did, who woke, who still waits
 * }</pre>
 *
 * This complements {@link Interleaving}: Lincheck treats {@code notify()} as {@code notifyAll()}
 * (Java allows a waiter to wake without cause, so waking all is one of the allowed runs), so it
 * cannot show a wake-up that {@code notify()} gives to the wrong waiter; here the JVM's own
 * {@code notify()} picks, among waiters whose order the schedule fixed. HotSpot wakes the thread
 * that has waited longest; a {@code Condition}'s {@code signal()} does so by specification.
 * A call that sleeps counts as waiting; calls should return or wait for another call. A thread
 * woken but not yet given a core still looks like it waits, so a row may show a call returning a
 * step late; after the last step the schedule waits until nothing has moved for
 * {@value #END_SETTLE_MS} ms before it says that a call still waits.
 */
public final class Turns<S> {
    /** One call on the shared object; it may throw (an interrupted wait, a checked exception). */
    @FunctionalInterface
    public interface Call<S> {
        void call(S shared) throws Exception;
    }

    /** A call counts as waiting once its thread has been blocked or waiting this long without a break. */
    static final long SETTLE_MS = 50;
    /** After the last step, everyone must be still for longer: a thread woken late still gets to run. */
    static final long END_SETTLE_MS = 500;
    /** A call still running after this is reported as running (a busy loop?), and the next step starts anyway. */
    static final long RUNNING_MS = 5_000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final S shared;
    private final List<Planned<S>> plan = new ArrayList<>();

    private record Planned<S>(String thread, String what, Call<S> call) {}

    private Turns(S shared) {
        this.shared = shared;
    }

    /** A schedule of calls on {@code shared} (the lock, the buffer, ...); add steps with {@link #then}. */
    public static <S> Turns<S> of(S shared) {
        if (shared == null) throw new IllegalArgumentException("give the shared object the calls work on, e.g. Turns.of(new Relay())");
        return new Turns<>(shared);
    }

    /**
     * Adds a step: thread {@code thread} (a name: "R1", "W") runs {@code call}, described by
     * {@code what}. A thread whose earlier call still waits when its next step comes does not
     * start the new one; the table says so.
     */
    public Turns<S> then(String thread, String what, Call<S> call) {
        if (thread == null || thread.isBlank()) throw new IllegalArgumentException("name the thread that makes the call, e.g. then(\"R1\", \"lockRead\", l -> l.lockRead())");
        if (call == null) throw new IllegalArgumentException("give the call, e.g. then(\"R1\", \"lockRead\", l -> l.lockRead())");
        plan.add(new Planned<>(thread.strip(), what == null ? "" : what, call));
        return this;
    }

    /** Runs the steps in order on real threads, then ends the threads whose calls still wait (by interrupting them). */
    public Result run() {
        Runner r = new Runner();
        try {
            return r.runAll();
        } finally {
            r.close();
        }
    }

    // ---- the run ----

    private final class Job {
        final int step;
        final String thread;
        final String what;
        final Call<S> call;
        volatile boolean started;
        volatile boolean finished;
        volatile Throwable thrown;
        volatile long seq;
        /** The first step handed over after this call was seen to have returned (0: not yet; steps + 1: at the end). */
        int seenBefore;

        Job(int step, Planned<S> p) {
            this.step = step;
            this.thread = p.thread();
            this.what = p.what();
            this.call = p.call();
        }

        String label() {
            return thread + (what.isEmpty() ? "" : " " + what);
        }
    }

    private final class Actor implements Runnable {
        final String name;
        final Thread thread;
        final SynchronousQueue<Job> inbox = new SynchronousQueue<>();
        volatile Job job;
        volatile boolean closed;
        private final AtomicLong ends;

        Actor(String name, AtomicLong ends) {
            this.name = name;
            this.ends = ends;
            thread = new Thread(this, "turns-" + name);
            thread.setDaemon(true);   // a call blocked on a monitor cannot be stopped: it must not keep the JVM alive
        }

        boolean busy() {
            Job j = job;
            return j != null && !j.finished;
        }

        @Override
        public void run() {
            while (!closed) {
                Job j;
                try {
                    j = inbox.take();
                } catch (InterruptedException e) {
                    return;
                }
                j.started = true;
                Throwable thrown = null;
                try {
                    j.call.call(shared);
                } catch (Throwable t) {
                    thrown = t;
                }
                j.thrown = thrown;
                j.seq = ends.incrementAndGet();
                j.finished = true;
            }
        }
    }

    private final class Runner {
        final Map<String, Actor> actors = new LinkedHashMap<>();
        final List<Job> jobs = new ArrayList<>();
        final AtomicLong ends = new AtomicLong();
        final List<Row> rows = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        Result runAll() {
            boolean interrupted = false;
            for (int i = 0; i < plan.size() && !interrupted; i++) {
                Planned<S> p = plan.get(i);
                Actor a = actors.computeIfAbsent(p.thread(), n -> {
                    Actor x = new Actor(n, ends);
                    x.thread.start();
                    return x;
                });
                Job j = new Job(i + 1, p);
                markReturned(j.step);
                jobs.add(j);
                if (a.busy()) {
                    rows.add(new Row(j.step, j.thread, j.what, "not started: " + a.name + " still waits in " + quote(a.job.what),
                            "", waitingNow()));
                    continue;
                }
                Map<Job, Long> waitedBefore = waitedCounts();
                long endsBefore = ends.get();
                a.job = j;
                try {
                    a.inbox.put(j);
                    if (!settle(SETTLE_MS, RUNNING_MS)) problems.add("step " + j.step + ": " + running() + " still running after "
                            + RUNNING_MS / 1000 + " s (a busy loop?); the next step started anyway");
                } catch (InterruptedException e) {
                    interrupted = true;
                    problems.add("interrupted at step " + j.step + ": the steps after it did not run");
                }
                rows.add(new Row(j.step, j.thread, j.what, status(j), meanwhile(j, endsBefore, waitedBefore), waitingNow()));
            }
            if (!interrupted) {
                try {
                    Map<Job, Long> waitedBefore = waitedCounts();
                    long endsBefore = ends.get();
                    if (!settle(END_SETTLE_MS, 2 * RUNNING_MS)) problems.add("at the end: " + running() + " still running");
                    String late = meanwhile(null, endsBefore, waitedBefore);
                    if (!late.isEmpty()) rows.add(new Row(0, "", "(end)", "", late, waitingNow()));
                } catch (InterruptedException e) {
                    interrupted = true;
                    problems.add("interrupted at the end");
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            markReturned(plan.size() + 1);
            return result();
        }

        /** Calls seen to have returned now returned before step {@code step} started. */
        void markReturned(int step) {
            for (Job j : jobs) if (j.finished && j.seenBefore == 0) j.seenBefore = step;
        }

        /** Waits until every started call has returned or has been waiting for {@code stableMs}; false after {@code maxMs}. */
        boolean settle(long stableMs, long maxMs) throws InterruptedException {
            long start = System.nanoTime();
            long quietSince = start;
            long seenEnds = ends.get();
            long seenWaits = totalWaits();
            while (true) {
                Thread.sleep(1);
                long now = System.nanoTime();
                boolean quiet = true;
                for (Actor a : actors.values()) {
                    Job j = a.job;
                    if (j == null || j.finished) continue;
                    if (!j.started || !waiting(a.thread)) quiet = false;
                }
                long e = ends.get();
                long w = totalWaits();
                if (e != seenEnds || w != seenWaits) quiet = false;   // a call returned or a thread woke and waited again: others may move
                seenEnds = e;
                seenWaits = w;
                if (!quiet) quietSince = now;
                else if (now - quietSince >= stableMs * 1_000_000) return true;
                if (now - start >= maxMs * 1_000_000) return false;
            }
        }

        String status(Job j) {
            if (j.finished) return j.thrown == null ? "returned" : "threw " + j.thrown;
            return j.started && waiting(actors.get(j.thread).thread) ? "waits" : "still running";
        }

        /** Other calls that returned during this step, and waiting threads that woke and went back to waiting. */
        String meanwhile(Job self, long endsBefore, Map<Job, Long> waitedBefore) {
            List<String> out = new ArrayList<>();
            for (Job j : jobs) {
                if (j == self || !j.finished || j.seq <= endsBefore) continue;
                out.add(j.label() + (j.thrown == null ? ": returned" : ": threw " + j.thrown));
            }
            Map<Job, Long> after = waitedCounts();
            for (Map.Entry<Job, Long> e : waitedBefore.entrySet()) {
                Job j = e.getKey();
                Long now = after.get(j);
                if (j != self && now != null && now > e.getValue()) out.add(j.thread + " woke, waits again");
            }
            return String.join("; ", out);
        }

        /** How many times each waiting call's thread has waited so far (it grows when a woken thread waits again). */
        Map<Job, Long> waitedCounts() {
            Map<Job, Long> m = new LinkedHashMap<>();
            for (Actor a : actors.values()) {
                Job j = a.job;
                if (j != null && j.started && !j.finished) m.put(j, waits(a.thread));
            }
            return m;
        }

        long totalWaits() {
            long n = 0;
            for (Actor a : actors.values()) if (a.busy()) n += waits(a.thread);
            return n;
        }

        String waitingNow() {
            List<String> w = new ArrayList<>();
            for (Actor a : actors.values()) if (a.busy()) w.add(a.name);
            return String.join(", ", w);
        }

        String running() {
            List<String> r = new ArrayList<>();
            for (Actor a : actors.values()) {
                Job j = a.job;
                if (j != null && !j.finished && !waiting(a.thread)) r.add(j.label());
            }
            return String.join(", ", r);
        }

        Result result() {
            List<Ended> calls = new ArrayList<>();
            for (Job j : jobs) {
                String end = j.finished ? (j.thrown == null ? "returned" : "threw " + j.thrown)
                        : j.started ? (waiting(actors.get(j.thread).thread) ? "still waits" : "still running") : "not started";
                calls.add(new Ended(j.step, j.thread, j.what, j.finished && j.thrown == null, j.finished ? j.seq : -1, j.seenBefore, end));
            }
            return new Result(rows, calls, problems);
        }

        void close() {
            for (Actor a : actors.values()) {
                a.closed = true;
                a.thread.interrupt();
            }
            for (Actor a : actors.values()) {
                try {
                    a.thread.join(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Whether {@code t} waits for another call: in {@code wait()}, {@code await()}, {@code park}, a
     * sleep, or blocked on a monitor that a thread holds while it waits itself. A thread blocked on
     * a monitor that is free, or held by a thread that runs, is about to go on (a woken thread
     * taking its monitor back, on a busy machine, stays BLOCKED until it gets a core): counting it
     * as waiting would start the next step before it moved, and change the schedule.
     */
    static boolean waiting(Thread t) {
        Thread.State s = t.getState();
        if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) return true;
        if (s != Thread.State.BLOCKED) return false;
        ThreadInfo i = THREADS.getThreadInfo(t.threadId());
        if (i == null || i.getLockOwnerId() == -1) return false;
        ThreadInfo owner = THREADS.getThreadInfo(i.getLockOwnerId());
        return owner != null && owner.getThreadState() != Thread.State.RUNNABLE;
    }

    private static long waits(Thread t) {
        ThreadInfo i = THREADS.getThreadInfo(t.threadId());
        return i == null ? 0 : i.getWaitedCount();
    }

    private static String quote(String what) {
        return what.isEmpty() ? "its call" : "'" + what + "'";
    }

    // ---- the result ----

    /**
     * One row of the table: step, the thread and its call, what the call did by the time the
     * schedule went on ("returned", "waits", "threw ...", "not started: ..."), what else happened
     * meanwhile (calls woken that returned, threads that woke and waited again), and the threads
     * waiting after the step. A row with step 0 is what happened after the last step.
     */
    public record Row(int step, String thread, String call, String then, String meanwhile, String waitingAfter) {}

    /**
     * Each call as it ended: returned (in the order {@code seq} of returns; -1: never), threw, still
     * waits, or never started; {@code before} is the first step that started after it was seen to
     * have returned or thrown (0: never; the number of steps + 1: after the last step).
     */
    public record Ended(int step, String thread, String what, boolean returned, long seq, int before, String end) {}

    /** What the schedule did: the rows, each call's end, and what went wrong with the run itself. */
    public record Result(List<Row> rows, List<Ended> calls, List<String> problems) implements Tabular {
        public Result {
            rows = List.copyOf(rows);
            calls = List.copyOf(calls);
            problems = List.copyOf(problems);
        }

        private Ended call(int step) {
            if (step < 1 || step > calls.size()) throw new IllegalArgumentException("step " + step + ": this schedule has steps 1 to " + calls.size());
            return calls.get(step - 1);
        }

        /** True when the call of {@code step} (1, 2, ...) returned, at its step or later. */
        public boolean returned(int step) {
            return call(step).returned();
        }

        /**
         * True when the call of {@code step} returned before the call of {@code later} started (the
         * number of steps + 1: before the end): no guess about timing, since the schedule looks
         * before it hands a step over.
         */
        public boolean returnedBeforeStep(int step, int later) {
            Ended a = call(step);
            if (later < 1 || later > calls.size() + 1) {
                throw new IllegalArgumentException("step " + later + ": this schedule has steps 1 to " + calls.size() + " (" + (calls.size() + 1) + ": its end)");
            }
            return a.returned() && a.before() > 0 && a.before() <= later;
        }

        /**
         * True when the call of {@code step} returned while the call of {@code other} had not (yet,
         * or ever), in the order the threads came back from their calls. Two calls released by one
         * step (an unlock and the lock it lets in) may come back in either order.
         */
        public boolean returnedBefore(int step, int other) {
            Ended a = call(step);
            Ended b = call(other);
            return a.returned() && (b.seq() < 0 || a.seq() < b.seq());
        }

        /** The threads whose calls still wait at the end, in the order they were first named. */
        public List<String> waiting() {
            List<String> w = new ArrayList<>();
            for (Ended c : calls) if (c.end().equals("still waits") && !w.contains(c.thread())) w.add(c.thread());
            return w;
        }

        /** True when calls still wait at the end and none is running: nothing left in the schedule can wake them. */
        public boolean stuck() {
            for (Ended c : calls) if (c.end().equals("still running")) return false;
            return !waiting().isEmpty();
        }

        /** "every call returned", or which calls still wait at the end. */
        public String outcome() {
            List<String> w = new ArrayList<>();
            for (Ended c : calls) if (c.end().startsWith("still")) w.add(c.thread() + (c.what().isEmpty() ? "" : " (" + c.what() + ")") + " " + c.end());
            return w.isEmpty() ? "every call returned" : String.join(", ", w);
        }

        /** The steps as a trace (thread, call, what happened): for a chart with one lane per thread. */
        public Trace trace() {
            List<Trace.Step> steps = new ArrayList<>();
            for (Row r : rows) {
                if (r.step() == 0) continue;
                steps.add(new Trace.Step(r.step(), r.thread(), r.call(), r.then(), r.meanwhile()));
            }
            return new Trace("turns -> " + outcome(), steps);
        }

        /** One lane per thread, one box per step. */
        public Chart chart() {
            return trace().chart();
        }

        @Override
        public Table table() {
            List<List<String>> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(List.of(r.step() == 0 ? "end" : String.valueOf(r.step()), r.thread(), r.call(), r.then(), r.meanwhile(), r.waitingAfter()));
            }
            Table t = Table.of(List.of("step", "thread", "call", "then", "meanwhile", "waiting after"), out).titled(outcome());
            return problems.isEmpty() ? t : t.withFooter(String.join("\n", problems));
        }

        @Override
        public String toString() {
            return table().toString();
        }
    }
}
