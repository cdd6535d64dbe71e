package org.threadlab.run;

import org.threadlab.display.Activity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fixed pool of threads with an order-preserving {@link #map}: Python's
 * {@code multiprocessing.pool.ThreadPool}. It is a plain {@link ExecutorService} underneath
 * ({@link #executor()}), so everything java.util.concurrent offers works on it as well.
 *
 * <pre>{@code
 * try (ThreadPool pool = new ThreadPool(4)) {
 *     List<Long> r = pool.map(List.of(1_000_000, 2_000_000, 3_000_000), n -> Tasks.countTo(n));
 *     pool.executor().submit(() -> "any other task");
 * }
 * }</pre>
 */
public final class ThreadPool implements AutoCloseable {
    private final ExecutorService executor;
    private final int size;
    private final long origin = System.nanoTime();
    private final List<Activity> activities = Collections.synchronizedList(new ArrayList<>());
    private final String group = "pid " + ProcessHandle.current().pid();

    /** A pool of {@code n} platform threads named {@code pool-0..n-1}. */
    public ThreadPool(int n) {
        if (n < 1) throw new IllegalArgumentException("a thread pool needs at least 1 thread, not " + n);
        size = n;
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "pool-" + count.getAndIncrement());
            t.setDaemon(true); // an abandoned pool must not keep a JVM alive
            return t;
        };
        executor = Executors.newFixedThreadPool(n, factory);
    }

    /** The executor underneath, for submit, invokeAll, CompletableFuture and the rest. */
    public ExecutorService executor() {
        return executor;
    }

    /** Number of threads. */
    public int size() {
        return size;
    }

    /**
     * Applies {@code fn} to each input on the pool's threads; returns the results in input order,
     * however the tasks were scheduled.
     *
     * @throws RuntimeException naming the input when fn threw for it (the first such input; the
     *         cause is what fn threw)
     */
    public <A, R> List<R> map(List<A> inputs, Function<? super A, ? extends R> fn) {
        List<Future<R>> futures = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            final int index = i;
            final A input = inputs.get(i);
            futures.add(executor.submit(() -> {
                long t0 = System.nanoTime() - origin;
                try {
                    return fn.apply(input);
                } finally {
                    activities.add(new Activity(group, Thread.currentThread().getName(), t0, System.nanoTime() - origin,
                            "task " + index));
                }
            }));
        }
        List<R> results = new ArrayList<>(inputs.size());
        for (int i = 0; i < futures.size(); i++) {
            try {
                results.add(futures.get(i).get());
            } catch (ExecutionException e) {
                for (Future<R> f : futures) f.cancel(true);
                throw new RuntimeException("the function threw " + e.getCause() + " for input #" + i + " (" + inputs.get(i) + ")",
                        e.getCause());
            } catch (InterruptedException e) {
                for (Future<R> f : futures) f.cancel(true);
                Thread.currentThread().interrupt();
                throw new RuntimeException("map interrupted; its remaining tasks were cancelled", e);
            }
        }
        return results;
    }

    /** When each task ran on which thread, since the pool was made, for a timeline chart. */
    public List<Activity> activities() {
        return List.copyOf(activities);
    }

    /** Stops the threads once the queued tasks are done. */
    @Override
    public void close() {
        executor.shutdown();
    }

    @Override
    public String toString() {
        return "ThreadPool[" + size + " threads" + (executor.isShutdown() ? ", closed" : "") + "]";
    }
}
