package org.threadlab.grading;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.threadlab.grading.exercises.Account;
import org.threadlab.grading.exercises.Bank;
import org.threadlab.grading.exercises.Buffer;
import org.threadlab.grading.exercises.Cache;
import org.threadlab.grading.exercises.Dinner;
import org.threadlab.grading.exercises.EventLoop;
import org.threadlab.grading.exercises.ProcessCounter;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answers that do nothing (or skip the one thing the exercise is about) must not collect points:
 * each scores at most a fifth of the exercise, visible and hidden tests together. A test that
 * only checks "nothing was left running" or "it returned quickly" passes for an empty method, so
 * every such test also checks that the work was done. (An account right in all but transfers is
 * graded by the real grader in the grading suite: it may earn the deposit and withdraw points only.)
 */
class DoNothingTest {
    static final long CAP_MS = 6_000;

    @BeforeAll
    static void compileHidden() throws Exception {
        GradingTest.compileHidden();
    }

    static <S> void scoresLittle(Exercise<S> ex, S subject, String what) {
        scoresOnly(ex, subject, what, java.util.Set.of());
    }

    /** At most a fifth of the points, and passes no test outside {@code mayPass} (what the answer does right). */
    static <S> void scoresOnly(Exercise<S> ex, S subject, String what, java.util.Set<String> mayPass) {
        ex.use(subject);
        List<TestRunner.Result> rs = new ArrayList<>(TestRunner.run(ex.visibleTests(), "visible", CAP_MS, null));
        rs.addAll(TestRunner.run(GradingTest.hiddenOf(ex.name()), "hidden", CAP_MS, null));
        int score = rs.stream().mapToInt(TestRunner.Result::score).sum();
        int max = rs.stream().mapToInt(TestRunner.Result::max).sum();
        List<String> passed = rs.stream().filter(TestRunner.Result::passed).map(TestRunner.Result::test).toList();
        List<String> undeserved = passed.stream().filter(t -> !mayPass.contains(t)).toList();
        assertTrue(mayPass.isEmpty() ? score * 5 <= max : undeserved.isEmpty(),
                ex.name() + ": " + what + " scored " + score + "/" + max + ", passing " + passed);
    }

    @Test
    void bankAccountThatDoesNothing() {
        scoresLittle(Exercises.BANK_ACCOUNT, opening -> new Account() {
            public long balance() { return opening; }
            public void deposit(long amount) {}
            public boolean withdraw(long amount) { return false; }
            public boolean transfer(Account to, long amount) { return false; }
        }, "an account that never changes");
    }

    @Test
    void fixTheDeadlockThatRefusesEveryTransfer() {
        scoresLittle(Exercises.FIX_THE_DEADLOCK, n -> new Bank() {
            public boolean transfer(int from, int to, long amount) { return false; }
            public long balance(int account) { return 1000; }
        }, "a bank that refuses every transfer");
    }

    @Test
    void boundedBufferThatDoesNothing() {
        scoresLittle(Exercises.BOUNDED_BUFFER, cap -> new Buffer<Integer>() {
            public void put(Integer item) {}
            public Integer take() { return 0; }
            public int size() { return 0; }
        }, "a buffer that keeps nothing");
    }

    @Test
    void parallelSumThatReturnsZero() {
        scoresLittle(Exercises.PARALLEL_SUM, (data, threads) -> 0L, "a sum that is always 0");
    }

    @Test
    void diningPhilosophersWhoNeverEat() {
        scoresLittle(Exercises.DINING_PHILOSOPHERS, n -> (Dinner) (philosopher, eat) -> {}, "philosophers who never eat");
    }

    @Test
    void eventLoopThatRunsNothing() {
        scoresLittle(Exercises.EVENT_LOOP, () -> new EventLoop() {
            public void callLater(long delayMs, Runnable task) {}
            public void run() {}
        }, "a loop that runs nothing");
    }

    @Test
    void gilJobsThatRunNothing() {
        scoresLittle(Exercises.GIL_AND_IO, (gil, jobs) -> {}, "runAll that runs nothing");
    }

    @Test
    void fetcherThatFetchesNothing() {
        scoresLittle(Exercises.IO_FETCHER, (uris, threads) -> List.of(), "a fetcher that returns no pages");
    }

    @Test
    void pipeRoundTripWithoutAChild() {
        scoresLittle(Exercises.PIPE_ROUND_TRIP, lines -> List.of(), "a round trip that returns nothing");
    }

    @Test
    void workersThatStartNothing() {
        scoresLittle(Exercises.WORKER_THREADS, (names, task) -> {}, "runAll that starts no thread");
    }

    @Test
    void poolMapThatMapsNothing() {
        scoresLittle(Exercises.POOL_MAP, (f, items, threads) -> List.of(), "a map that returns no results");
    }

    @Test
    void poolSizeThatIsAlwaysOne() {
        scoresLittle(Exercises.POOL_SIZE, (cores, waitMs, computeMs, max) -> 1, "one thread whatever the machine");
    }

    @Test
    void schedulesThatAreEmpty() {
        scoresLittle(Exercises.RACE_SCHEDULES, new org.threadlab.grading.exercises.RaceSchedules() {
            public String lostUpdate() { return ""; }
            public String overdraft() { return ""; }
            public String twoLost() { return ""; }
        }, "no schedules");
    }

    @Test
    void limiterThatRunsNothing() {
        scoresLittle(Exercises.LIMITER, permits -> work -> {}, "a limiter that never runs the work");
    }

    @Test
    void lockThatLocksNothing() {
        scoresLittle(Exercises.TICKET_LOCK, () -> new org.threadlab.grading.exercises.FairLock() {
            public void lock() {}
            public void unlock() {}
        }, "a lock that never waits");
    }

    @Test
    void timeLimitThatRunsNothing() {
        scoresLittle(Exercises.TIME_LIMIT, (command, limit) -> "", "a time limit that starts nothing");
    }

    @Test
    void cacheThatLoadsNothing() {
        scoresLittle(Exercises.THREAD_SAFE_CACHE, loader -> new Cache<Integer, String>() {
            public String get(Integer key) { return null; }
            public int size() { return 0; }
        }, "a cache that returns null");
    }

    @Test
    void processCounterThatCountsNothing() {
        scoresLittle(Exercises.PROCESS_COUNTER, path -> new ProcessCounter() {
            public long increment() { return 0; }
            public long get() { return 0; }
            public void close() {}
        }, "a counter that stays 0");
    }
}
