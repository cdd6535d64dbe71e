package org.threadlab.run;

import org.threadlab.display.Tabular;

import org.threadlab.display.Activity;
import org.threadlab.display.Table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * N threads running one task each, started together: Python's
 * {@code [threading.Thread(target=f, args=(i,)) for i in range(n)]} plus start and join, with the
 * results and exceptions kept.
 *
 * <pre>{@code
 * Threads<Long> t = Threads.start(4, i -> Tasks.countTo(1_000_000));  // worker-0 .. worker-3
 * t.join();              // waits for all; join(Duration.ofSeconds(5)) waits at most 5 s
 * t.results();           // [..., ..., ..., ...] in thread order
 * t.errors();            // [null, null, null, null]: what each thread threw, if anything
 * t.activities();        // when each thread ran, for a timeline chart
 * }</pre>
 */
public final class Threads<T> implements Tabular {
    private final List<Thread> threads;
    private final Object[] results;
    private final Throwable[] errors;
    private final long[] start;
    private final long[] end;
    private final long origin;
    private final boolean virtual;

    private Threads(int n, IndexedTask<? extends T> task, boolean virtual, String prefix) {
        if (n < 0) throw new IllegalArgumentException("cannot start " + n + " threads");
        this.virtual = virtual;
        results = new Object[n];
        errors = new Throwable[n];
        start = new long[n];
        end = new long[n];
        Arrays.fill(start, -1);
        Arrays.fill(end, -1);
        origin = System.nanoTime();
        List<Thread> made = new ArrayList<>(n);
        Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform();
        for (int i = 0; i < n; i++) {
            final int index = i;
            made.add(builder.name(prefix + "-" + i).unstarted(() -> {
                start[index] = System.nanoTime() - origin;
                try {
                    results[index] = task.run(index);
                } catch (Throwable e) {
                    errors[index] = e;
                } finally {
                    end[index] = System.nanoTime() - origin;
                }
            }));
        }
        threads = List.copyOf(made);
        // created first, then started: the threads start as close together as Java allows
        for (Thread t : threads) t.start();
    }

    /** Starts {@code n} platform threads named {@code worker-0..n-1}, thread i running {@code task.run(i)}. */
    public static <T> Threads<T> start(int n, IndexedTask<? extends T> task) {
        return new Threads<>(n, task, false, "worker");
    }

    /** Starts {@code n} virtual threads named {@code virtual-0..n-1}, thread i running {@code task.run(i)}. */
    public static <T> Threads<T> startVirtual(int n, IndexedTask<? extends T> task) {
        return new Threads<>(n, task, true, "virtual");
    }

    /**
     * Starts {@code n} platform threads that each run {@code body}, for bodies that need no
     * index and return nothing: {@code Threads.run(4, () -> System.out.println("hi"))}.
     */
    public static Threads<Void> run(int n, Runnable body) {
        return new Threads<>(n, i -> {
            body.run();
            return null;
        }, false, "worker");
    }

    /** {@link #run(int, Runnable)} on virtual threads. */
    public static Threads<Void> runVirtual(int n, Runnable body) {
        return new Threads<>(n, i -> {
            body.run();
            return null;
        }, true, "virtual");
    }

    /** Starts {@code n} threads named {@code prefix-0..}, virtual or platform. */
    public static <T> Threads<T> start(int n, IndexedTask<? extends T> task, boolean virtual, String prefix) {
        return new Threads<>(n, task, virtual, prefix);
    }

    /** Waits until every thread has ended; a kernel interrupt ends the wait (the threads go on). */
    public Threads<T> join() {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return this;
            }
        }
        return this;
    }

    /**
     * Waits until every thread has ended or {@code timeout} has passed, whichever is first.
     * {@link #done()} then tells which case it was.
     */
    public Threads<T> join(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return this;
            }
        }
        return this;
    }

    /** Whether every thread has ended. */
    public boolean done() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** Interrupts every thread still running (tasks that check for interrupts stop). */
    public Threads<T> interrupt() {
        for (Thread t : threads) t.interrupt();
        return this;
    }

    /** The threads, thread i running task i. */
    public List<Thread> threads() {
        return threads;
    }

    /**
     * What each task returned, in thread order; {@code null} for a task that threw or has not
     * finished. Waits for nothing: call {@link #join()} first.
     */
    @SuppressWarnings("unchecked")
    public List<T> results() {
        return (List<T>) Arrays.asList(results.clone());
    }

    /** What each task threw, in thread order; {@code null} where it did not (or has not yet). */
    public List<Throwable> errors() {
        return Arrays.asList(errors.clone());
    }

    /** Whether any task threw. */
    public boolean failed() {
        return Arrays.stream(errors).anyMatch(e -> e != null);
    }

    /** Wall-clock time from the start to the last thread's end so far, in nanoseconds. */
    public long elapsedNanos() {
        long max = 0;
        for (long e : end) max = Math.max(max, e);
        return max;
    }

    /**
     * When each task ran, one {@link Activity} per finished or running thread (times in ns from
     * the start), group "pid N", category "task i".
     */
    public List<Activity> activities() {
        String group = "pid " + ProcessHandle.current().pid();
        long now = System.nanoTime() - origin;
        List<Activity> list = new ArrayList<>();
        for (int i = 0; i < threads.size(); i++) {
            if (start[i] < 0) continue;
            long e = end[i] < 0 ? now : end[i];
            list.add(new Activity(group, threads.get(i).getName(), start[i], Math.max(e, start[i]), "task " + i));
        }
        return list;
    }

    /** One row per thread: name, state, ms from the start to its start and end, result or error. */
    public Table table() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < threads.size(); i++) {
            Thread t = threads.get(i);
            String outcome = errors[i] != null ? "threw " + errors[i]
                    : end[i] >= 0 ? String.valueOf(results[i]) : "";
            rows.add(List.of(t.getName(), t.isAlive() ? "running" : "ended",
                    start[i] < 0 ? "-" : String.format("%.1f", start[i] / 1e6),
                    end[i] < 0 ? "-" : String.format("%.1f", end[i] / 1e6), abbreviate(outcome)));
        }
        return Table.of(List.of("thread", "state", "start ms", "end ms", "result"), rows)
                .titled(threads.size() + (virtual ? " virtual" : " platform") + " threads");
    }

    private static String abbreviate(String s) {
        return s.length() > 70 ? s.substring(0, 67) + "..." : s;
    }

    @Override
    public String toString() {
        return table().toString();
    }


}
