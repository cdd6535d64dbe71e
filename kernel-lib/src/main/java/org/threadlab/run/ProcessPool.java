package org.threadlab.run;

import org.threadlab.display.Activity;

import java.io.IOException;
import java.io.NotSerializableException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A pool of worker JVMs that apply a function to many inputs: Python's
 * {@code multiprocessing.Pool.map}. Results come back in input order; workers are started once
 * and reused by every map; {@link #report()} says how much time went to starting workers, to
 * serialization and to the work.
 *
 * <pre>{@code
 * try (ProcessPool pool = new ProcessPool(2)) {
 *     List<Long> r = pool.map(List.of(1_000_000, 2_000_000), Tasks.countTo());
 *     pool.pids();      // [4242, 4243]: the same PIDs in the next map
 *     pool.report();    // starting workers / serialization / work / wall
 * }
 * }</pre>
 *
 * A lambda from a notebook cell works as the function (the workers fetch the cell's classes);
 * so does a method reference such as {@code Tasks::countTo}. Workers end with {@link #close()},
 * when the pool is garbage-collected, or when this JVM exits.
 */
public final class ProcessPool implements AutoCloseable {
    private final ChildProcess[] workers;
    private final AtomicIntegerArray tasksDone;
    private final List<Long> allPids = Collections.synchronizedList(new ArrayList<>());
    private final Cleaner.Cleanable cleanable;
    private final long createdNanos = System.nanoTime();
    private final List<Activity> activities = Collections.synchronizedList(new ArrayList<>());
    private long pendingStartNanos;
    private volatile PoolReport last;
    private boolean closed;

    /** Starts {@code n} worker JVMs and waits until each is ready (about 0.1-0.5 s each). */
    public ProcessPool(int n) {
        if (n < 1) throw new IllegalArgumentException("a process pool needs at least 1 worker, not " + n);
        workers = new ChildProcess[n];
        tasksDone = new AtomicIntegerArray(n);
        ChildProcess[] w = workers;
        cleanable = ChildJvm.CLEANER.register(this, () -> {
            for (ChildProcess c : w) if (c != null) c.kill();
        });
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) workers[i] = ChildProcess.start("worker", ChildProcess.WORKER_FLAGS, "pool-worker-" + i);
        for (int i = 0; i < n; i++) awaitReady(i);
        pendingStartNanos = System.nanoTime() - t0;
    }

    private void awaitReady(int i) {
        ChildProcess c = workers[i];
        try {
            ChildProcess.Answer a = c.next(Duration.ofSeconds(60).toNanos());
            if (a == null) {
                c.kill();
                throw new ChildFailedException(c.pid(), "worker JVM pid " + c.pid() + " did not start within 60 s; the machine may be overloaded");
            }
            if (a.type() != Wire.READY) {
                close();
                throw new ChildFailedException(c.pid(), "worker JVM did not start: " + c.endedMessage());
            }
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new ChildFailedException(c.pid(), "interrupted while starting workers; the pool was closed");
        }
        allPids.add(c.pid());
    }

    /** Number of workers. */
    public int size() {
        return workers.length;
    }

    /** PIDs of the current workers, worker 0 first. */
    public synchronized List<Long> pids() {
        return Arrays.stream(workers).map(ChildProcess::pid).toList();
    }

    /** PIDs of every worker this pool ever started (grows only when a worker had to be replaced). */
    public List<Long> allPids() {
        return List.copyOf(allPids);
    }

    /** Inputs each current worker has handled so far, by PID: shows the reuse. */
    public synchronized Map<Long, Integer> tasksPerWorker() {
        Map<Long, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < workers.length; i++) m.put(workers[i].pid(), tasksDone.get(i));
        return m;
    }

    /** Where the time of the last map went (null before the first map). */
    public PoolReport report() {
        return last;
    }

    /** When each chunk ran on which worker, since the pool was created, for a timeline chart. */
    public List<Activity> activities() {
        return List.copyOf(activities);
    }

    /** {@link #map(List, SerializableFunction, int, Duration)} with automatic chunks and no time limit. */
    public <A, R> List<R> map(List<A> inputs, SerializableFunction<? super A, ? extends R> fn) {
        return map(inputs, fn, 0, null);
    }

    /** {@link #map(List, SerializableFunction, int, Duration)} with automatic chunks. */
    public <A, R> List<R> map(List<A> inputs, SerializableFunction<? super A, ? extends R> fn, Duration timeout) {
        return map(inputs, fn, 0, timeout);
    }

    /**
     * Applies {@code fn} to each input in the workers and returns the results in input order.
     *
     * @param chunkSize inputs per message; 0 picks about four chunks per worker, as Python does
     * @param timeout   the longest the whole map may take, or null for no limit; when it passes,
     *                  the busy workers are killed (and replaced at the next map)
     * @throws ChildFailedException naming the input and worker when fn threw, a worker crashed, a
     *         result could not be serialized, or the time ran out
     */
    @SuppressWarnings("unchecked")
    public synchronized <A, R> List<R> map(List<A> inputs, SerializableFunction<? super A, ? extends R> fn, int chunkSize,
                                           Duration timeout) {
        if (closed) throw new IllegalStateException("this process pool is closed; make a new one with processPool(n)");
        long wall0 = System.nanoTime();
        replaceEndedWorkers();
        int n = inputs.size();
        int size = chunkSize > 0 ? chunkSize : Math.max(1, (n + workers.length * 4 - 1) / (workers.length * 4));
        int chunks = (n + size - 1) / size;
        AtomicLong serialize = new AtomicLong();
        AtomicLong work = new AtomicLong();
        long s0 = System.nanoTime();
        byte[] fnBytes;
        try {
            fnBytes = Wire.serialize(fn);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("the function captures a " + e.getMessage()
                    + ", which is not Serializable, so it cannot be sent to the workers; capture only numbers, strings "
                    + "or Serializable records", e);
        }
        serialize.addAndGet(System.nanoTime() - s0);
        ClassLoader loader = ChildJvm.loaderOr(fn.getClass().getClassLoader());
        Object[] results = new Object[n];
        AtomicInteger nextChunk = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        boolean[] busy = new boolean[workers.length];
        Thread[] feeders = new Thread[workers.length];
        for (int w = 0; w < workers.length; w++) {
            final int wi = w;
            ChildProcess c = workers[w];
            c.shipFrom(loader);
            feeders[w] = new Thread(() -> {
                try {
                    c.send(Wire.FUNCTION, fnBytes);
                    int k;
                    while (failure.get() == null && (k = nextChunk.getAndIncrement()) < chunks) {
                        int from = k * size, to = Math.min(n, from + size);
                        long t0 = System.nanoTime();
                        byte[] body;
                        try {
                            body = Wire.serialize(inputs.subList(from, to).toArray());
                        } catch (NotSerializableException e) {
                            failure.compareAndSet(null, "input #" + from + ".." + (to - 1) + " is not Serializable (" + e.getMessage() + ")");
                            return;
                        }
                        long t1 = System.nanoTime();
                        serialize.addAndGet(t1 - t0);
                        busy[wi] = true;
                        c.send(Wire.CHUNK, body);
                        ChildProcess.Answer a;
                        do {
                            long left = deadline == Long.MAX_VALUE ? -1 : Math.max(0, deadline - System.nanoTime());
                            a = c.next(left);
                        } while (a != null && a.type() == Wire.READY);
                        long t2 = System.nanoTime();
                        if (a == null) {
                            failure.compareAndSet(null, "the map did not finish within " + timeout.toMillis()
                                    + " ms; busy workers were killed and will be replaced");
                            return;
                        }
                        if (a.type() == Wire.ERROR) {
                            busy[wi] = false;
                            failure.compareAndSet(null, "worker pid " + c.pid() + ", inputs #" + from + ".." + (to - 1) + ": "
                                    + new String(a.body(), StandardCharsets.UTF_8));
                            return;
                        }
                        if (a.type() != Wire.RESULT) {
                            failure.compareAndSet(null, "inputs #" + from + ".." + (to - 1) + ": worker " + c.endedMessage());
                            return;
                        }
                        busy[wi] = false;
                        ByteBuffer b = ByteBuffer.wrap(a.body());
                        long childDeser = b.getLong(), childWork = b.getLong(), childSer = b.getLong();
                        Object[] out = (Object[]) Wire.deserialize(Arrays.copyOfRange(a.body(), 24, a.body().length), loader);
                        long t3 = System.nanoTime();
                        serialize.addAndGet(childDeser + childSer + (t3 - t2));
                        work.addAndGet(childWork);
                        System.arraycopy(out, 0, results, from, out.length);
                        tasksDone.addAndGet(wi, out.length);
                        activities.add(new Activity("pid " + c.pid(), "worker-" + wi + " (pid " + c.pid() + ")",
                                t1 - createdNanos, t3 - createdNanos, "chunk " + k));
                    }
                } catch (IOException | ClassNotFoundException e) {
                    failure.compareAndSet(null, "worker pid " + c.pid() + ": " + (c.ended() ? c.endedMessage() : e.toString()));
                } catch (InterruptedException e) {
                    failure.compareAndSet(null, "interrupted");
                }
            }, "pool-feeder-" + w);
            feeders[w].setDaemon(true);
            feeders[w].start();
        }
        try {
            for (Thread t : feeders) t.join();
        } catch (InterruptedException e) {
            for (Thread t : feeders) t.interrupt();
            killAll();
            Thread.currentThread().interrupt();
            throw new ChildFailedException(-1, "process pool map interrupted; its workers were killed and will be replaced at the next map");
        }
        for (int w = 0; w < workers.length; w++) if (busy[w]) workers[w].kill();
        long wall = System.nanoTime() - wall0;
        last = new PoolReport(workers.length, n, chunks, pendingStartNanos, serialize.get(), work.get(), wall);
        pendingStartNanos = 0;
        String f = failure.get();
        if (f != null) throw new ChildFailedException(-1, "process pool map of " + n + " inputs failed: " + f);
        return (List<R>) Arrays.asList(results);
    }

    private void replaceEndedWorkers() {
        long t0 = System.nanoTime();
        boolean any = false;
        for (int i = 0; i < workers.length; i++) {
            if (workers[i].ended() || !workers[i].process.isAlive()) {
                workers[i].kill();
                workers[i] = ChildProcess.start("worker", ChildProcess.WORKER_FLAGS, "pool-worker-" + i);
                tasksDone.set(i, 0);
                awaitReady(i);
                any = true;
            }
        }
        if (any) pendingStartNanos += System.nanoTime() - t0;
    }

    private void killAll() {
        for (ChildProcess c : workers) c.kill();
    }

    /** Ends the workers (each closes when its stdin closes; stragglers are killed). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (ChildProcess c : workers) if (c != null) c.close();
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "ProcessPool[" + workers.length + " workers, pids " + pids() + (closed ? ", closed" : "") + "]";
    }
}
