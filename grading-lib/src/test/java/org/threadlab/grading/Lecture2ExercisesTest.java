package org.threadlab.grading;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.threadlab.grading.exercises.Cache;
import org.threadlab.grading.exercises.Bank;
import org.threadlab.grading.exercises.Dinner;
import org.threadlab.grading.exercises.ProcessCounter;
import org.threadlab.ipc.SharedMemory;
import org.threadlab.grading.exercises.TimeLimit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exercises of lectures 09-16 tell right from wrong: classic mistakes lose their points, nothing
 * hangs. (That the solutions get every point, the grading suite shows with the real grader.)
 */
class Lecture2ExercisesTest {
    @BeforeAll
    static void compileHidden() throws Exception {
        GradingTest.compileHidden();
    }

    /** Left fork, then right fork: deadlocks when all five hold their left fork. */
    static final class LeftThenRight implements Dinner {
        private final ReentrantLock[] forks;
        LeftThenRight(int n) {
            forks = new ReentrantLock[n];
            for (int i = 0; i < n; i++) forks[i] = new ReentrantLock();
        }
        public void dine(int p, Runnable eat) throws InterruptedException {
            forks[p].lockInterruptibly();
            try {
                Thread.yield();              // a pause between the two forks, as any real work there would make
                forks[(p + 1) % forks.length].lockInterruptibly();
                try { eat.run(); } finally { forks[(p + 1) % forks.length].unlock(); }
            } finally { forks[p].unlock(); }
        }
    }

    /** Only the left fork: neighbours eat together. */
    static final class OneFork implements Dinner {
        private final ReentrantLock[] forks;
        OneFork(int n) {
            forks = new ReentrantLock[n];
            for (int i = 0; i < n; i++) forks[i] = new ReentrantLock();
        }
        public void dine(int p, Runnable eat) {
            forks[p].lock();
            try { eat.run(); } finally { forks[p].unlock(); }
        }
    }

    @Test
    void leftThenRightDeadlocksAndIsCaught() {
        Exercises.DINING_PHILOSOPHERS.use(LeftThenRight::new);
        var results = TestRunner.run(Exercises.DINING_PHILOSOPHERS.visibleTests(), "visible", 0, null);
        // the engine's test, not the real-thread one: five threads need not all hold their left fork at once on a busy machine
        TestRunner.Result deadlock = results.stream().filter(r -> r.test().contains("under every schedule")).findFirst().orElseThrow();
        assertFalse(deadlock.passed(), "a left-then-right table passed the deadlock test");
        assertTrue(deadlock.message().contains("DEADLOCK"), deadlock.message());
    }

    @Test
    void oneForkLetsNeighboursEatTogether() {
        String test = "neighbours never eat at the same time";
        assertFalse(GradingTest.gradeOnly(Exercises.DINING_PHILOSOPHERS, OneFork::new, test).get(test).passed());
    }

    /** computeIfAbsent: one load per key, different keys in parallel, failures not cached. */
    static final class GoodCache implements Cache<Integer, String> {
        private final ConcurrentHashMap<Integer, String> map = new ConcurrentHashMap<>();
        private final Function<Integer, String> loader;
        GoodCache(Function<Integer, String> loader) { this.loader = loader; }
        public String get(Integer key) { return map.computeIfAbsent(key, loader); }
        public int size() { return map.size(); }
    }

    /** Check, then load, then put, on a HashMap: loads twice and loses entries. */
    static final class RacyCache implements Cache<Integer, String> {
        private final HashMap<Integer, String> map = new HashMap<>();
        private final Function<Integer, String> loader;
        RacyCache(Function<Integer, String> loader) { this.loader = loader; }
        public String get(Integer key) {
            String v = map.get(key);
            if (v == null) { v = loader.apply(key); map.put(key, v); }
            return v;
        }
        public int size() { return map.size(); }
    }

    /** One lock around everything: correct, but loads run one at a time. */
    static final class SerialCache implements Cache<Integer, String> {
        private final HashMap<Integer, String> map = new HashMap<>();
        private final Function<Integer, String> loader;
        SerialCache(Function<Integer, String> loader) { this.loader = loader; }
        public synchronized String get(Integer key) { return map.computeIfAbsent(key, loader); }
        public synchronized int size() { return map.size(); }
    }

    @Test
    void computeIfAbsentCacheGetsEveryPoint() {
        GradingTest.allPass(GradingTest.grade(Exercises.THREAD_SAFE_CACHE, GoodCache::new));
    }

    @Test
    void checkThenActCacheLoadsTwice() {
        Map<String, TestRunner.Result> m = GradingTest.grade(Exercises.THREAD_SAFE_CACHE, RacyCache::new);
        assertFalse(m.get("many threads asking for one key at once load it once").passed());
    }

    @Test
    void oneBigLockSerialisesLoads() {
        Map<String, TestRunner.Result> m = GradingTest.grade(Exercises.THREAD_SAFE_CACHE, SerialCache::new);
        assertTrue(m.get("many threads asking for one key at once load it once").passed());
        assertFalse(m.get("different keys load at the same time").passed());
    }

    /** Reads while it waits, then ends the whole tree: politely, then by force. */
    static final TimeLimit GOOD_LIMIT = (command, limit) -> {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (var in = p.getInputStream()) { in.transferTo(out); } catch (IOException ignored) { }
        });
        if (p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            reader.join();
            return out.toString();
        }
        List<ProcessHandle> tree = Stream.concat(p.descendants(), Stream.of(p.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < deadline && tree.stream().anyMatch(ProcessHandle::isAlive)) Thread.sleep(10);
        tree.forEach(ProcessHandle::destroyForcibly);
        throw new TimeoutException(command + " ran longer than " + limit);
    };

    /** Waits, reads afterwards, and kills only the direct child. */
    static final TimeLimit NAIVE_LIMIT = (command, limit) -> {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new TimeoutException("too slow");
        }
        return new String(p.getInputStream().readAllBytes());
    };

    @Test
    void treeKillingRunnerGetsEveryPoint() {
        GradingTest.allPass(GradingTest.grade(Exercises.TIME_LIMIT, GOOD_LIMIT));
    }

    @Test
    void killingOnlyTheChildLeavesOrphansAndBigOutputStalls() {
        Map<String, TestRunner.Result> m = GradingTest.gradeOnly(Exercises.TIME_LIMIT, NAIVE_LIMIT, "a quick command's output comes back",
                "a runaway command is stopped on time", "the command's own children are ended too", "a megabyte of output does not stall the command");
        assertTrue(m.get("a quick command's output comes back").passed());
        assertTrue(m.get("a runaway command is stopped on time").passed());
        assertFalse(m.get("the command's own children are ended too").passed());
        assertFalse(m.get("a megabyte of output does not stall the command").passed());
    }

    /** getAndAdd on the mapped page: atomic across processes. */
    static final class GoodCounter implements ProcessCounter {
        private final SharedMemory memory;
        GoodCounter(String file) { memory = SharedMemory.open(java.nio.file.Path.of(file)); }
        public long increment() { return memory.getAndAdd(0, 1) + 1; }
        public long get() { return memory.getVolatile(0); }
        public void close() { memory.close(); }
    }

    /** A read, then a write: loses updates between mappings and between processes. */
    static final class ReadThenWriteCounter implements ProcessCounter {
        private final SharedMemory memory;
        ReadThenWriteCounter(String file) { memory = SharedMemory.open(java.nio.file.Path.of(file)); }
        public long increment() { long v = memory.getVolatile(0) + 1; memory.setRelease(0, v); return v; }
        public long get() { return memory.getVolatile(0); }
        public void close() { memory.close(); }
    }

    @Test
    void atomicSharedCounterGetsEveryPoint() {
        GradingTest.allPass(GradingTest.grade(Exercises.PROCESS_COUNTER, GoodCounter::new));
    }

    @Test
    void readThenWriteCounterLosesUpdates() {
        Map<String, TestRunner.Result> m = GradingTest.grade(Exercises.PROCESS_COUNTER, ReadThenWriteCounter::new);
        assertTrue(m.get("one thread: starts at 0, counts up").passed());
        assertFalse(m.get("two mappings of one file, raced by 8 threads, lose nothing").passed());
    }

    /** The exercise's given code: locks the source, then the destination. */
    static class NaiveBank implements Bank {
        final long[] balances;
        final Object[] locks;
        NaiveBank(int n) {
            balances = new long[n];
            locks = new Object[n];
            for (int i = 0; i < n; i++) { balances[i] = 1000; locks[i] = new Object(); }
        }
        public boolean transfer(int from, int to, long amount) {
            synchronized (locks[from]) {
                synchronized (locks[to]) {
                    if (balances[from] < amount) return false;
                    balances[from] -= amount;
                    balances[to] += amount;
                    return true;
                }
            }
        }
        public long balance(int a) { synchronized (locks[a]) { return balances[a]; } }
    }

    @Test
    void givenCodeDeadlocks() {
        Exercises.FIX_THE_DEADLOCK.use(NaiveBank::new);
        var results = TestRunner.run(Exercises.FIX_THE_DEADLOCK.visibleTests(), "visible", 0, null);
        assertTrue(results.get(0).passed(), results.get(0).message());
        // under the engine: the opposite transfers' deadlock on every run, not when the threads happen to overlap
        assertFalse(results.get(2).passed(), "the deadlocking transfer passed the opposite-transfers test");
        assertTrue(results.get(2).message().contains("DEADLOCK"), results.get(2).message());
    }
}
