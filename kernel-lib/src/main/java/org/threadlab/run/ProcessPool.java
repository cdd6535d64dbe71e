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
    /** Chunks sent ahead to each worker: enough to hide the round trip, few enough to balance the load. */
    static final int IN_FLIGHT = 2;
    private final AtomicIntegerArray tasksDone;
    /** The function each worker holds, as bytes: a map with the same function does not resend it. */
    private final byte[][] functionSent;
    private final List<Long> allPids = Collections.synchronizedList(new ArrayList<>());
    private final Cleaner.Cleanable cleanable;
    /** One thread per worker that feeds it chunks and reads its answers, kept from map to map. */
    private final java.util.concurrent.ExecutorService feeders;
    private final long createdNanos = System.nanoTime();
    private final List<Activity> activities = Collections.synchronizedList(new ArrayList<>());
    private long pendingStartNanos;
    private volatile PoolReport last;
    private Object lastFunction;
    private byte[] lastFunctionBytes;
    private boolean closed;

    /** Starts {@code n} worker JVMs and waits until each is ready (about 0.1-0.5 s each). */
    public ProcessPool(int n) {
        if (n < 1) throw new IllegalArgumentException("a process pool needs at least 1 worker, not " + n);
        workers = new ChildProcess[n];
        tasksDone = new AtomicIntegerArray(n);
        functionSent = new byte[n][];
        ChildProcess[] w = workers;
        AtomicInteger feederCount = new AtomicInteger();
        feeders = java.util.concurrent.Executors.newFixedThreadPool(n,
                r -> LibraryThreads.unstarted("pool-feeder-" + feederCount.getAndIncrement(), r));
        java.util.concurrent.ExecutorService f = feeders;
        cleanable = ChildJvm.CLEANER.register(this, () -> {
            f.shutdownNow();
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
            // the same function object as last time (a non-capturing lambda is one object) is not serialized again
            fnBytes = fn == lastFunction ? lastFunctionBytes : Wire.serialize(fn);
            lastFunction = fn;
            lastFunctionBytes = fnBytes;
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
        java.util.concurrent.Future<?>[] feeding = new java.util.concurrent.Future<?>[workers.length];
        for (int w = 0; w < workers.length; w++) {
            final int wi = w;
            ChildProcess c = workers[w];
            c.shipFrom(loader);
            feeding[w] = feeders.submit(() -> {
                // Up to two chunks in flight per worker: the next one waits in the worker's stdin
                // while it computes, so no round trip is lost between chunks (Python's Pool queues
                // all chunks up front; two keep the load balanced when chunks take unequal time).
                java.util.ArrayDeque<long[]> inFlight = new java.util.ArrayDeque<>(); // {chunk, from, to, sentAt}
                try {
                    if (!Arrays.equals(functionSent[wi], fnBytes)) {
                        functionSent[wi] = null;
                        c.send(Wire.FUNCTION, fnBytes);
                        functionSent[wi] = fnBytes;
                    }
                    while (true) {
                        while (failure.get() == null && inFlight.size() < IN_FLIGHT) {
                            int k = nextChunk.getAndIncrement();
                            if (k >= chunks) break;
                            int from = k * size, to = Math.min(n, from + size);
                            long t0 = System.nanoTime();
                            byte[] body;
                            try {
                                body = Wire.encodeArray(inputs.subList(from, to).toArray());
                            } catch (NotSerializableException e) {
                                failure.compareAndSet(null, "input #" + from + ".." + (to - 1) + " is not Serializable (" + e.getMessage() + ")");
                                break;
                            }
                            long t1 = System.nanoTime();
                            serialize.addAndGet(t1 - t0);
                            c.send(Wire.CHUNK, body);
                            inFlight.add(new long[] {k, from, to, t1});
                        }
                        if (inFlight.isEmpty()) return;
                        long[] chunk = inFlight.peek();
                        int from = (int) chunk[1], to = (int) chunk[2];
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
                        if (a.type() != Wire.RESULT && a.type() != Wire.ERROR) {
                            failure.compareAndSet(null, "inputs #" + from + ".." + (to - 1) + ": worker " + c.endedMessage());
                            return;
                        }
                        inFlight.poll();
                        if (a.type() == Wire.ERROR) {
                            functionSent[wi] = null; // the function may be what failed: send it again next time
                            failure.compareAndSet(null, "worker pid " + c.pid() + ", inputs #" + from + ".." + (to - 1) + ": "
                                    + new String(a.body(), StandardCharsets.UTF_8));
                            continue; // collect the answer of a chunk still in flight, so the worker stays in step
                        }
                        ByteBuffer b = ByteBuffer.wrap(a.body());
                        long childDeser = b.getLong(), childWork = b.getLong(), childSer = b.getLong();
                        Object[] out = Wire.decodeArray(a.body(), 24, loader);
                        long t3 = System.nanoTime();
                        serialize.addAndGet(childDeser + childSer + (t3 - t2));
                        work.addAndGet(childWork);
                        System.arraycopy(out, 0, results, from, out.length);
                        tasksDone.addAndGet(wi, out.length);
                        long began = Math.max(chunk[3], t2 - childDeser - childWork - childSer);
                        activities.add(new Activity("pid " + c.pid(), "worker-" + wi + " (pid " + c.pid() + ")",
                                began - createdNanos, t3 - createdNanos, "chunk " + chunk[0]));
                    }
                } catch (IOException | ClassNotFoundException e) {
                    failure.compareAndSet(null, "worker pid " + c.pid() + ": " + (c.ended() ? c.endedMessage() : e.toString()));
                } catch (InterruptedException e) {
                    failure.compareAndSet(null, "interrupted");
                } finally {
                    busy[wi] = !inFlight.isEmpty();
                }
            });
        }
        try {
            for (java.util.concurrent.Future<?> f : feeding) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failure.compareAndSet(null, "internal error of the pool: " + e.getCause());
                }
            }
        } catch (InterruptedException e) {
            for (java.util.concurrent.Future<?> f : feeding) f.cancel(true);
            killAll();
            // the feeders end once their workers are gone; the next map reuses their threads
            for (java.util.concurrent.Future<?> f : feeding) {
                try {
                    f.get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // cancelled or still ending: nothing more to do
                }
            }
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
                functionSent[i] = null;
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
