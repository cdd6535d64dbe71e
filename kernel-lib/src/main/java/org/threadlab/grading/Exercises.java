package org.threadlab.grading;

import org.threadlab.grading.exercises.Account;
import org.threadlab.grading.exercises.ArraySum;
import org.threadlab.grading.exercises.Bank;
import org.threadlab.grading.exercises.BankAccountTests;
import org.threadlab.grading.exercises.BoundedBufferTests;
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
        return List.of(BANK_ACCOUNT, BOUNDED_BUFFER, PARALLEL_SUM, DINING_PHILOSOPHERS, THREAD_SAFE_CACHE, TIME_LIMIT, PROCESS_COUNTER,
                FIX_THE_DEADLOCK);
    }

    /** The exercise called {@code name}; the message lists the known ones. */
    public static Exercise<?> named(String name) {
        for (Exercise<?> e : all()) if (e.name().equals(name)) return e;
        throw new IllegalArgumentException("no exercise called '" + name + "'; known: "
                + String.join(", ", all().stream().map(Exercise::name).toList()));
    }
}
