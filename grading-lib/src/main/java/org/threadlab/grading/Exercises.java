package org.threadlab.grading;

import org.threadlab.grading.exercises.*;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The graded exercises, each registered here and nowhere else: its constant (lecture, name, what
 * it needs, what the check cell passes, visible tests). {@link #all()} finds the constants, the
 * grader and the index list them by lecture, and the grading facade {@link Grading} implements
 * this interface, so {@code import static org.threadlab.grading.Grading.*} (a default import of the
 * ThreadLab kernel) brings every constant into a notebook: {@code check(BANK_ACCOUNT, BankAccount::new)}.
 * A test ({@code ExerciseRegistryTest}) fails when a notebook in {@code solutions/} has no constant
 * here, or a constant no notebook. The notebook is
 * {@code solutions/eNN-name.ipynb}, NN being the lecture; hidden tests are annotated
 * {@code @HiddenTests("name")}.
 */
public interface Exercises {
    // ---- 01-08: processes, threads, costs, pools, limits ----

    /** Named threads started together and joined: a function (names, task). */
    Exercise<Workers> WORKER_THREADS = new Exercise<>(1, "worker-threads",
            "starting and joining threads (01)",
            "a function (names, task), e.g. Workers::runAll", WorkerThreadsTests.class);

    /** Lines through a child cat and back, over pipes, without deadlock: a function (lines) -> lines. */
    Exercise<PipeRoundTrip> PIPE_ROUND_TRIP = new Exercise<>(2, "pipe-round-trip",
            "child processes and pipes (02)",
            "a function (lines) -> lines, e.g. Pipes::roundTrip", PipeRoundTripTests.class);

    /** A parallel sum of an array: a function (data, threads) -> sum. */
    Exercise<ArraySum> PARALLEL_SUM = new Exercise<>(3, "parallel-sum",
            "starting and joining threads (01), what a thread costs and when splitting pays (03)",
            "a function (data, threads) -> sum, e.g. (data, threads) -> parallelSum(data, threads)", ParallelSumTests.class);

    /** A single-threaded event loop: a constructor without arguments. */
    Exercise<java.util.function.Supplier<EventLoop>> EVENT_LOOP = new Exercise<>(4, "event-loop",
            "one thread switching between tasks, asyncio's model (04)",
            "a constructor without arguments, e.g. Loop::new", EventLoopTests.class);

    /** Python-style threads under a simulated GIL, downloads releasing it: a function (gil, jobs). */
    Exercise<GilJobs> GIL_AND_IO = new Exercise<>(5, "gil-and-io",
            "the simulated GIL (05)",
            "a function (gil, jobs) that runs them, e.g. PythonThreads::runAll", GilAndIoTests.class);

    /** Pages fetched by a pool of threads, in order: a function (uris, threads) -> bodies. */
    Exercise<Fetcher> IO_FETCHER = new Exercise<>(6, "io-fetcher",
            "I/O-bound work (06), a pool closed at the end (07 helps)",
            "a function (uris, threads) -> bodies, e.g. Fetch::fetchAll", IoFetcherTests.class);

    /** A pool's map: results in order, at most N at once, every task done when it returns. */
    Exercise<PoolMap> POOL_MAP = new Exercise<>(7, "pool-map",
            "executors, futures and shutting a pool down (07)",
            "a function (f, items, threads) -> results, e.g. Pools::map", PoolMapTests.class);

    /** How many threads a pool should have on this machine, within the process's limit. */
    Exercise<PoolSizer> POOL_SIZE = new Exercise<>(8, "pool-size",
            "cores and thread limits (08), CPU- and I/O-bound work (06)",
            "a function (cores, waitMs, computeMs, maxThreads) -> threads, e.g. Sizing::threads", PoolSizeTests.class);

    // ---- 09-14: races, locks, semaphores, producers/consumers, deadlock, starvation ----

    /** Schedules that break three small racy classes: an object answering with schedule strings. */
    Exercise<RaceSchedules> RACE_SCHEDULES = new Exercise<>(9, "race-schedules",
            "interleavings and replayed schedules (09)",
            "an object giving the schedules, e.g. new MySchedules()", RaceSchedulesTests.class);

    /** A thread-safe cache: a constructor taking the loader. */
    Exercise<Function<Function<Integer, String>, Cache<Integer, String>>> THREAD_SAFE_CACHE = new Exercise<>(10, "thread-safe-cache",
            "thread-safe maps and atomic check-then-act (10)",
            "a constructor taking the loader, e.g. ThreadSafeCache::new", ThreadSafeCacheTests.class);

    /** At most N threads inside at once: a constructor taking the number of permits. */
    Exercise<IntFactory<Limiter>> LIMITER = new Exercise<>(11, "limiter",
            "semaphores (11)",
            "a constructor taking the number of permits, e.g. Limiter::new", LimiterTests.class);

    /** A blocking bounded buffer: a constructor taking the capacity. */
    Exercise<IntFactory<Buffer<Integer>>> BOUNDED_BUFFER = new Exercise<>(12, "bounded-buffer",
            "wait/notify or conditions (12), or semaphores (11)",
            "a constructor taking the capacity, e.g. BoundedBuffer::new", BoundedBufferTests.class);

    /** Accounts whose concurrent transfers never lose money: a constructor taking the opening balance. */
    Exercise<LongFactory<Account>> BANK_ACCOUNT = new Exercise<>(13, "bank-account",
            "races (09), locks (10) and one lock order (13)",
            "a constructor taking the opening balance, e.g. BankAccount::new", BankAccountTests.class);

    /** A deadlocking transfer to fix: a constructor taking the number of accounts (1000 each). */
    Exercise<IntFactory<Bank>> FIX_THE_DEADLOCK = new Exercise<>(13, "fix-the-deadlock",
            "finding a deadlock and a lock order (13)",
            "a constructor taking the number of accounts, e.g. Branch::new", FixTheDeadlockTests.class);

    /** The dining philosophers: a constructor taking the number of philosophers. */
    Exercise<IntFactory<Dinner>> DINING_PHILOSOPHERS = new Exercise<>(13, "dining-philosophers",
            "deadlock and its fixes (13), fair locks (14 helps)",
            "a constructor taking the number of philosophers, e.g. DiningTable::new", DiningPhilosophersTests.class);

    /** A lock that serves threads in arrival order: a constructor without arguments. */
    Exercise<Make<FairLock>> TICKET_LOCK = new Exercise<>(14, "ticket-lock",
            "starvation and fairness (14), wait/notifyAll (12)",
            "a constructor without arguments, e.g. TicketLock::new", TicketLockTests.class);

    // ---- 15-16: processes again ----

    /** A counter in shared memory: a constructor taking the file's path. */
    Exercise<Function<String, ProcessCounter>> PROCESS_COUNTER = new Exercise<>(15, "process-counter",
            "shared memory between processes (15), atomic read-modify-write (10)",
            "a constructor taking the file's path, e.g. FileCounter::new", ProcessCounterTests.class);

    /** A command run with a time limit, its whole process tree ended when late: a function (command, limit) -> output. */
    Exercise<TimeLimit> TIME_LIMIT = new Exercise<>(16, "time-limit",
            "child processes and pipes (01, 02), ending a process tree (16)",
            "a function (command, limit) -> output, e.g. (command, limit) -> runWithLimit(command, limit)", TimeLimitTests.class);

    // ---- 17-21: synchronization patterns and design ----

    /** A barrier n threads meet at, round after round: a constructor taking the number of threads. */
    Exercise<IntFactory<Barrier>> REUSABLE_BARRIER = new Exercise<>(17, "reusable-barrier",
            "semaphores (11), the turnstiles of the synchronization puzzles (17)",
            "a constructor taking the number of threads, e.g. ReusableBarrier::new", ReusableBarrierTests.class);

    /** Signalling, rendezvous, mutex and multiplex from semaphores, one object: a constructor taking the multiplex's permits. */
    Exercise<IntFactory<Ladder>> SEMAPHORE_LADDER = new Exercise<>(17, "semaphore-ladder",
            "semaphores (11), signalling, rendezvous, mutex and multiplex (17)",
            "a constructor taking the multiplex's number of permits, e.g. SemaphoreLadder::new", SemaphoreLadderTests.class);

    /** Lecture 18: a readers-writers lock in which writers do not starve: a constructor without arguments. */
    Exercise<Make<RwLock>> READERS_WRITERS = new Exercise<>(18, "readers-writers",
            "readers-writers and a waiting writer (18), wait/notifyAll or conditions (12, 18)",
            "a constructor without arguments, e.g. WriterFirstLock::new", ReadersWritersTests.class);

    // ---- 19: thread safety by design ----

    /** A box office whose one method breaks its documented policy, fixed: a constructor taking the number of seats. */
    Exercise<IntFactory<BoxOffice>> FIND_THE_BUG = new Exercise<>(19, "find-the-bug",
            "thread-safety policies, check-then-act (19), locks (10)",
            "a constructor taking the number of seats, e.g. FixedBoxOffice::new", FindTheBugTests.class);

    // ---- 20: cancellation and testing ----

    /** A worker thread consuming a queue of jobs that stop() ends promptly: a constructor without arguments. */
    Exercise<Make<StoppableService>> STOPPABLE_SERVICE = new Exercise<>(20, "stoppable-service",
            "interruption and shutting a service down (20), blocking queues (12)",
            "a constructor without arguments, e.g. QueueService::new", StoppableServiceTests.class);

    // ---- 21: Amdahl's and Gustafson's laws ----

    /** Amdahl's and Gustafson's laws as a model of a machine: an object with time, speedup, scaledSpeedup, serialFraction. */
    Exercise<SpeedupModel> PREDICT_SPEEDUP = new Exercise<>(21, "predict-speedup",
            "what a thread costs (03), cores (08), Amdahl's and Gustafson's laws (21)",
            "an object of the model, e.g. new Model()", PredictSpeedupTests.class);

    /** Every exercise, by lecture, then by name. */
    static List<Exercise<?>> all() {
        List<Exercise<?>> out = new ArrayList<>();
        for (Field f : Exercises.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Exercise.class) {
                try {
                    out.add((Exercise<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        out.sort(Comparator.comparingInt((Exercise<?> e) -> e.lecture()).thenComparing(Exercise::name));
        return List.copyOf(out);
    }

    /** The exercise called {@code name}; the message lists the known ones. */
    static Exercise<?> named(String name) {
        for (Exercise<?> e : all()) if (e.name().equals(name)) return e;
        throw new IllegalArgumentException("no exercise called '" + name + "'; known: "
                + String.join(", ", all().stream().map(Exercise::name).toList()));
    }
}
