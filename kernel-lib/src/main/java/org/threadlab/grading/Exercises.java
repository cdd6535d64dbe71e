package org.threadlab.grading;

import org.threadlab.grading.exercises.Account;
import org.threadlab.grading.exercises.ArraySum;
import org.threadlab.grading.exercises.Bank;
import org.threadlab.grading.exercises.BankAccountTests;
import org.threadlab.grading.exercises.BoundedBufferTests;
import org.threadlab.grading.exercises.DeadlineRunner;
import org.threadlab.grading.exercises.EventLoop;
import org.threadlab.grading.exercises.EventLoopTests;
import org.threadlab.grading.exercises.Fetcher;
import org.threadlab.grading.exercises.GilAndIoTests;
import org.threadlab.grading.exercises.GilJobs;
import org.threadlab.grading.exercises.IoFetcherTests;
import org.threadlab.grading.exercises.PipeRoundTrip;
import org.threadlab.grading.exercises.PipeRoundTripTests;
import org.threadlab.grading.exercises.RunWithDeadlineTests;
import org.threadlab.grading.exercises.Buffer;
import org.threadlab.grading.exercises.Cache;
import org.threadlab.grading.exercises.ThreadSafeCacheTests;
import org.threadlab.grading.exercises.TimeLimit;
import org.threadlab.grading.exercises.TimeLimitTests;
import org.threadlab.grading.exercises.Dinner;
import org.threadlab.grading.exercises.DiningPhilosophersTests;
import org.threadlab.grading.exercises.FixTheDeadlockTests;
import org.threadlab.grading.exercises.ParallelSumTests;
import org.threadlab.grading.exercises.ProcessCounter;
import org.threadlab.grading.exercises.ProcessCounterTests;

import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The graded exercises. A notebook imports {@code static org.threadlab.grading.Exercises.*} and
 * checks with {@code check(BANK_ACCOUNT, BankAccount::new)}.
 */
public final class Exercises {
    private Exercises() {}

    /** Accounts whose concurrent transfers never lose money: a constructor taking the opening balance. */
    public static final Exercise<LongFunction<Account>> BANK_ACCOUNT = new Exercise<>("bank-account",
            "a constructor taking the opening balance, e.g. BankAccount::new", List.of(BankAccountTests.class));

    /** A blocking bounded buffer: a constructor taking the capacity. */
    public static final Exercise<IntFunction<Buffer<Integer>>> BOUNDED_BUFFER = new Exercise<>("bounded-buffer",
            "a constructor taking the capacity, e.g. BoundedBuffer::new", List.of(BoundedBufferTests.class));

    /** A parallel sum of an array: a function (data, threads) -> sum. */
    public static final Exercise<ArraySum> PARALLEL_SUM = new Exercise<>("parallel-sum",
            "a function (data, threads) -> sum, e.g. (data, threads) -> parallelSum(data, threads)", List.of(ParallelSumTests.class));

    // ---- exercises of lectures 01-08 ----

    /** A child process with a time limit, killed with its descendants when late: a function (command, timeoutMs) -> output. */
    public static final Exercise<DeadlineRunner> RUN_WITH_DEADLINE = new Exercise<>("run-with-deadline",
            "a function (command, timeoutMs) -> output, e.g. Deadline::run", List.of(RunWithDeadlineTests.class));

    /** Lines through a child cat and back, over pipes, without deadlock: a function (lines) -> lines. */
    public static final Exercise<PipeRoundTrip> PIPE_ROUND_TRIP = new Exercise<>("pipe-round-trip",
            "a function (lines) -> lines, e.g. Pipes::roundTrip", List.of(PipeRoundTripTests.class));

    /** A single-threaded event loop: a constructor without arguments. */
    public static final Exercise<Supplier<EventLoop>> EVENT_LOOP = new Exercise<>("event-loop",
            "a constructor without arguments, e.g. Loop::new", List.of(EventLoopTests.class));

    /** Python-style threads under a simulated GIL, downloads releasing it: a function (gil, jobs). */
    public static final Exercise<GilJobs> GIL_AND_IO = new Exercise<>("gil-and-io",
            "a function (gil, jobs) that runs them, e.g. PythonThreads::runAll", List.of(GilAndIoTests.class));

    /** Pages fetched by a pool of threads, in order: a function (uris, threads) -> bodies. */
    public static final Exercise<Fetcher> IO_FETCHER = new Exercise<>("io-fetcher",
            "a function (uris, threads) -> bodies, e.g. Fetch::fetchAll", List.of(IoFetcherTests.class));

    // ---- exercises of lectures 09-16 ----

    /** The dining philosophers: a constructor taking the number of philosophers. */
    public static final Exercise<IntFunction<Dinner>> DINING_PHILOSOPHERS = new Exercise<>("dining-philosophers",
            "a constructor taking the number of philosophers, e.g. DiningTable::new", List.of(DiningPhilosophersTests.class));

    /** A thread-safe cache: a constructor taking the loader. */
    public static final Exercise<Function<Function<Integer, String>, Cache<Integer, String>>> THREAD_SAFE_CACHE = new Exercise<>(
            "thread-safe-cache", "a constructor taking the loader, e.g. ThreadSafeCache::new", List.of(ThreadSafeCacheTests.class));

    /** A command run with a time limit: a function (command, limit) -> output. */
    public static final Exercise<TimeLimit> TIME_LIMIT = new Exercise<>("time-limit",
            "a function (command, limit) -> output, e.g. (command, limit) -> runWithLimit(command, limit)", List.of(TimeLimitTests.class));

    /** A counter in shared memory: a constructor taking the file's path. */
    public static final Exercise<Function<String, ProcessCounter>> PROCESS_COUNTER = new Exercise<>("process-counter",
            "a constructor taking the file's path, e.g. FileCounter::new", List.of(ProcessCounterTests.class));

    /** A deadlocking transfer to fix: a constructor taking the number of accounts (1000 each). */
    public static final Exercise<IntFunction<Bank>> FIX_THE_DEADLOCK = new Exercise<>("fix-the-deadlock",
            "a constructor taking the number of accounts, e.g. Branch::new", List.of(FixTheDeadlockTests.class));

    public static List<Exercise<?>> all() {
        return List.of(BANK_ACCOUNT, BOUNDED_BUFFER, PARALLEL_SUM, RUN_WITH_DEADLINE, PIPE_ROUND_TRIP, EVENT_LOOP, GIL_AND_IO, IO_FETCHER,
                DINING_PHILOSOPHERS, THREAD_SAFE_CACHE, TIME_LIMIT, PROCESS_COUNTER, FIX_THE_DEADLOCK);
    }

    /** The exercise called {@code name}; the message lists the known ones. */
    public static Exercise<?> named(String name) {
        for (Exercise<?> e : all()) if (e.name().equals(name)) return e;
        throw new IllegalArgumentException("no exercise called '" + name + "'; known: "
                + String.join(", ", all().stream().map(Exercise::name).toList()));
    }
}
