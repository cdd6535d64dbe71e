package org.threadlab.run;

import org.threadlab.display.Activity;

import java.io.IOException;
import java.io.NotSerializableException;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    private final String[] activityGroups;
    private final String[] activityRows;
    private final AtomicIntegerArray tasksDone;
    /** The function each worker holds, as bytes: a map with the same function does not resend it. */
    private final byte[][] functionSent;
    private final List<Long> allPids = Collections.synchronizedList(new ArrayList<>());
    private final Cleaner.Cleanable cleanable;
    private final long createdNanos = System.nanoTime();
    private final List<Activity> activities = Collections.synchronizedList(new ArrayList<>());
    private long pendingStartNanos;
    private volatile PoolReport last;
    private Object lastFunction;
    private byte[] lastFunctionBytes;
    /** The function (as bytes) whose last map measured {@link #nanosPerInput}. */
    private byte[] measuredFunction;
    /** Worker time per input in the last map of {@link #measuredFunction}, in ns. */
    private double nanosPerInput;
    private boolean closed;
    private final List<String> workerFlags;
    private final List<String> extraClassPath;

    /** Starts {@code n} worker JVMs and waits until each is ready (about 0.1-0.5 s each). */
    public ProcessPool(int n) {
        this(n, List.of());
    }

    /**
     * {@link #ProcessPool(int)} whose workers also have {@code extraClassPath} (jars or folders) on
     * their class path: libraries the workers need and this JVM does not load itself (the schedule
     * engine's Lincheck stays off the execution JVM's class path this way).
     */
    public ProcessPool(int n, List<String> extraClassPath) {
        this(n, extraClassPath, false);
    }

    /**
     * {@link #ProcessPool(int, List)} whose workers, with {@code quickStart}, compile with C1 only:
     * for work that is mostly loading and rewriting classes rather than long loops (the schedule
     * engine: Lincheck instruments every class its test touches). The optimizing compiler's threads
     * then only take CPU from the work: a fresh engine's first search of a two-thread counter used
     * 2.8 CPU-s with it and 1.8 without; six searches of three threads, 15.8 and 7.7 CPU-s.
     */
    public ProcessPool(int n, List<String> extraClassPath, boolean quickStart) {
        this.workerFlags = quickStart ? ChildProcess.QUICK_WORKER_FLAGS : ChildProcess.WORKER_FLAGS;
        this.extraClassPath = List.copyOf(extraClassPath);
        if (n < 1) throw new IllegalArgumentException("a process pool needs at least 1 worker, not " + n);
        workers = new ChildProcess[n];
        activityGroups = new String[n];
        activityRows = new String[n];
        tasksDone = new AtomicIntegerArray(n);
        functionSent = new byte[n][];
        ChildProcess[] w = workers;
        cleanable = ChildJvm.CLEANER.register(this, () -> {
            for (ChildProcess c : w) if (c != null) c.kill();
        });
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) startWorker(i);
        for (int i = 0; i < n; i++) awaitReady(i);
        pendingStartNanos = System.nanoTime() - t0;
    }

    private void startWorker(int i) {
        workers[i] = ChildProcess.start("worker", workerFlags, "pool-worker-" + i, extraClassPath);
        // the timeline's labels, made once per worker rather than per map
        activityGroups[i] = "pid " + workers[i].pid();
        activityRows[i] = "worker-" + i + " (pid " + workers[i].pid() + ")";
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

    /**
     * Whether {@code t} is one of the threads this pool runs for itself (reading its workers'
     * output): they wait in a read, which a thread dump shows as RUNNABLE, yet do no work.
     */
    public boolean ownsThread(Thread t) {
        for (ChildProcess c : workers) if (c != null && c.runs(t)) return true;
        return false;
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
        Run run = new Run(inputs.toArray(), chunkSize, ChildJvm.loaderOr(fn.getClass().getClassLoader()),
                Arrays.equals(fnBytes, measuredFunction) ? nanosPerInput : -1);
        run.serialize.addAndGet(System.nanoTime() - s0);
        Feed[] feeds = new Feed[workers.length];
        for (int w = 0; w < workers.length; w++) {
            feeds[w] = new Feed(run, w, workers[w]);
            workers[w].shipFrom(run.loader);
            workers[w].listen(feeds[w]);
        }
        try {
            // This thread sends every chunk: the first ones dealt in turn so that every worker
            // starts at once, the rest when a worker's reader thread reports room. Reader threads
            // never write chunks, so a worker blocked writing a large answer is always read from,
            // and a worker may read its stdin on its one main thread (ChildMain.Inbox).
            long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
            for (Feed f : feeds) f.start(fnBytes);
            for (Feed f : feeds) f.fill(1);
            for (Feed f : feeds) f.fill(f.window());
            boolean done = false;
            while (!done) {
                Object o = timeout == null ? run.room.take()
                        : run.room.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (o == null) break;
                if (o == ALL_FINISHED) done = true;
                else ((Feed) o).fill(((Feed) o).window());
            }
            if (!done) run.fail("the map did not finish within " + timeout.toMillis() + " ms; busy workers were killed and will be replaced");
            // A worker whose feed has not finished still has chunks; one out of step answered
            // what was not asked. Either is killed (and replaced at the next map), so that no late
            // answer reaches a later map.
            for (Feed f : feeds) if (!f.finished || f.outOfStep) f.worker.kill();
        } catch (InterruptedException e) {
            run.fail("interrupted");
            killAll();
            Thread.currentThread().interrupt();
            throw new ChildFailedException(-1, "process pool map interrupted; its workers were killed and will be replaced at the next map");
        } finally {
            for (Feed f : feeds) f.worker.listen(null);
        }
        long wall = System.nanoTime() - wall0;
        if (run.failure.get() == null && run.n > 0) {
            measuredFunction = fnBytes;
            nanosPerInput = (double) run.busy.get() / run.n;
        }
        last = new PoolReport(workers.length, run.n, run.chunks, pendingStartNanos, run.serialize.get(), run.work.get(), wall);
        pendingStartNanos = 0;
        String f = run.failure.get();
        if (f != null) throw new ChildFailedException(-1, "process pool map of " + run.n + " inputs failed: " + f);
        return (List<R>) Arrays.asList(run.results);
    }

    /**
     * Chunks each worker gets before its first answer tells how long one takes, unless the last
     * map of the same function told already.
     */
    static final int START_IN_FLIGHT = 2;
    /**
     * Work queued at each worker, in ns: enough to hide the round trip of an answer and the next
     * chunk (tens of µs, up to a scheduling slice of a few ms on a busy machine), little enough
     * that a worker holding it while another runs idle costs at most that much. Chunks of 10 ms
     * or more thus go two at a time, chunks of µs as many as the worker's share of the map.
     */
    static final long QUEUED_NANOS = 2_000_000;
    /** At most this many chunks in flight per worker, whatever their size. */
    static final int MAX_IN_FLIGHT = 64;

    private static final Object ALL_FINISHED = new Object();

    /** One map's shared state. */
    private final class Run {
        final Object[] inputs;
        final int n;
        final int size;
        final int chunks;
        /** Chunks per worker if they were dealt out evenly: no worker holds more at once. */
        final int share;
        final ClassLoader loader;
        final Object[] results;
        final AtomicInteger nextChunk = new AtomicInteger();
        final AtomicReference<String> failure = new AtomicReference<>();
        final AtomicLong serialize = new AtomicLong();
        final AtomicLong work = new AtomicLong();
        /** Worker time (deserialize, work, serialize) summed over the chunks, in ns. */
        final AtomicLong busy = new AtomicLong();
        /** Chunks in flight per worker at the start. */
        final int startWindow;
        /** Feeds whose worker has room for more chunks, and at last {@link #ALL_FINISHED}: what the map's thread waits for. */
        final java.util.concurrent.BlockingQueue<Object> room = new java.util.concurrent.LinkedBlockingQueue<>();
        final AtomicInteger unfinished = new AtomicInteger(workers.length);

        /** @param nanosPerInput worker time per input measured in the last map of this function, or -1 */
        Run(Object[] inputs, int chunkSize, ClassLoader loader, double nanosPerInput) {
            this.inputs = inputs;
            this.n = inputs.length;
            this.size = chunkSize > 0 ? chunkSize : Math.max(1, (n + workers.length * 4 - 1) / (workers.length * 4));
            this.chunks = (n + size - 1) / size;
            this.share = Math.max(1, (chunks + workers.length - 1) / workers.length);
            this.loader = loader;
            this.results = new Object[n];
            this.startWindow = nanosPerInput < 0 ? START_IN_FLIGHT : window((long) (nanosPerInput * size));
        }

        /** Chunks to keep in flight at a worker when one takes {@code chunkNanos} there. */
        int window(long chunkNanos) {
            return (int) Math.max(START_IN_FLIGHT, Math.min(Math.min(share, MAX_IN_FLIGHT), QUEUED_NANOS / Math.max(1, chunkNanos)));
        }

        void fail(String message) {
            failure.compareAndSet(null, message);
        }
    }

    /**
     * One worker's part of one map. The map's thread sends the chunks ({@link #fill}); the worker's
     * reader thread records each answer ({@link #answer}) and, when the worker has room for more,
     * queues this feed for the map's thread. Both hold this object's lock while they touch the
     * chunks in flight, but not while writing: a worker blocked writing a large answer must never
     * wait for a reader thread that waits for this lock.
     */
    private final class Feed implements ChildProcess.Listener {
        final Run run;
        final int wi;
        final ChildProcess worker;
        private final java.util.ArrayDeque<long[]> inFlight = new java.util.ArrayDeque<>(); // {chunk, from, to, sentAt}
        private int window;
        /** Queued in {@link Run#room} and not yet filled. */
        private boolean queued;
        /** Nothing in flight and nothing more to send (or the worker ended): set once. */
        volatile boolean finished;
        /** The worker answered when nothing was in flight, or could not be written to. */
        volatile boolean outOfStep;

        Feed(Run run, int wi, ChildProcess worker) {
            this.run = run;
            this.wi = wi;
            this.worker = worker;
            this.window = run.startWindow;
        }

        synchronized int window() {
            return window;
        }

        /** Sends the function unless the worker holds it already; it leaves with the first chunk. */
        void start(byte[] fnBytes) {
            if (Arrays.equals(functionSent[wi], fnBytes)) return;
            functionSent[wi] = null;
            try {
                worker.sendLater(Wire.FUNCTION, fnBytes);
                functionSent[wi] = fnBytes;
            } catch (IOException e) {
                lost(e);
            }
        }

        /** Sends chunks (in one write) while fewer than {@code limit} are in flight; finishes when none are left to wait for. */
        void fill(int limit) {
            List<byte[]> bodies = new ArrayList<>();
            synchronized (this) {
                queued = false;
                while (!finished && run.failure.get() == null && inFlight.size() < limit) {
                    int k = run.nextChunk.getAndIncrement();
                    if (k >= run.chunks) break;
                    int from = k * run.size, to = Math.min(run.n, from + run.size);
                    long t0 = System.nanoTime();
                    try {
                        bodies.add(Wire.encodeArray(run.inputs, from, to, 0));
                    } catch (NotSerializableException e) {
                        run.fail("input #" + from + ".." + (to - 1) + " is not Serializable (" + e.getMessage() + ")");
                        break;
                    }
                    long t1 = System.nanoTime();
                    run.serialize.addAndGet(t1 - t0);
                    // in flight before it is written, so its answer finds it; only this thread writes chunks, in this order
                    inFlight.add(new long[] {k, from, to, t1});
                }
                if (bodies.isEmpty() && inFlight.isEmpty()) finish();
            }
            try {
                for (byte[] b : bodies) worker.sendLater(Wire.CHUNK, b);
                worker.flush();
            } catch (IOException e) {
                lost(e);
            }
        }

        @Override
        public synchronized void answer(ChildProcess.Answer a) {
            if (finished || a.type() == Wire.READY) return;
            long t2 = System.nanoTime();
            long[] chunk = inFlight.poll();
            if (a.type() != Wire.RESULT && a.type() != Wire.ERROR) { // the worker ended
                if (run.failure.get() == null) {
                    run.fail((chunk == null ? "" : "inputs #" + chunk[1] + ".." + (chunk[2] - 1) + ": ") + "worker " + worker.endedMessage());
                }
                finish();
                return;
            }
            if (chunk == null) {
                outOfStep = true;
                run.fail("worker pid " + worker.pid() + " answered with no inputs in flight; it was killed and will be replaced");
                finish();
                return;
            }
            int from = (int) chunk[1], to = (int) chunk[2];
            if (a.type() == Wire.ERROR) {
                functionSent[wi] = null; // the function may be what failed: send it again next time
                run.fail("worker pid " + worker.pid() + ", inputs #" + from + ".." + (to - 1) + ": "
                        + new String(a.body(), StandardCharsets.UTF_8));
            } else {
                try {
                    record(a.body(), chunk, t2);
                } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
                    run.fail("worker pid " + worker.pid() + ", inputs #" + from + ".." + (to - 1) + ": the results could not be read here: " + e);
                }
            }
            // after a failure no more chunks go out, but the answers of those in flight are still
            // awaited, so the worker stays in step for the next map
            boolean more = run.failure.get() == null && run.nextChunk.get() < run.chunks;
            if (more && inFlight.size() < window && !queued) {
                queued = true;
                run.room.add(this);
            } else if (!more && inFlight.isEmpty()) {
                finish();
            }
        }

        private void record(byte[] body, long[] chunk, long t2) throws IOException, ClassNotFoundException {
            long childDeser = Wire.getLong(body, 0), childWork = Wire.getLong(body, 8), childSer = Wire.getLong(body, 16);
            Object[] out = Wire.decodeArray(body, 24, run.loader);
            long t3 = System.nanoTime();
            run.serialize.addAndGet(childDeser + childSer + (t3 - t2));
            run.work.addAndGet(childWork);
            System.arraycopy(out, 0, run.results, (int) chunk[1], out.length);
            tasksDone.addAndGet(wi, out.length);
            long busy = childDeser + childWork + childSer;
            run.busy.addAndGet(busy);
            activities.add(new Activity(activityGroups[wi], activityRows[wi], Math.max(chunk[3], t2 - busy) - createdNanos, t3 - createdNanos,
                    "chunk ".concat(Long.toString(chunk[0]))));
            window = run.window(busy);
        }

        private synchronized void lost(IOException e) {
            outOfStep = true;
            run.fail("worker pid " + worker.pid() + ": " + (worker.ended() ? worker.endedMessage() : e.toString()));
            finish();
        }

        private synchronized void finish() {
            if (finished) return;
            finished = true;
            if (run.unfinished.decrementAndGet() == 0) run.room.add(ALL_FINISHED);
        }
    }

    private void replaceEndedWorkers() {
        long t0 = System.nanoTime();
        boolean any = false;
        for (int i = 0; i < workers.length; i++) {
            if (workers[i].ended() || !workers[i].process.isAlive()) {
                workers[i].kill();
                startWorker(i);
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
