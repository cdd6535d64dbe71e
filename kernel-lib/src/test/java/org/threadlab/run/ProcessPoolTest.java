package org.threadlab.run;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessPoolTest {
    private static ProcessPool pool;

    @BeforeAll
    static void start() {
        pool = new ProcessPool(2);
    }

    @AfterAll
    static void stop() {
        List<Long> pids = pool.allPids();
        pool.close();
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " outlived close()");
        }
    }

    record Point(int x, int y) implements Serializable {}

    @Test
    void mapReturnsResultsInInputOrder() {
        List<Integer> inputs = IntStream.range(0, 50).boxed().toList();
        // small chunks and uneven work, so chunks finish out of order
        List<Point> out = pool.map(inputs, x -> {
            Tasks.sleep(x % 7);
            return new Point(x, x * x);
        }, 3, Duration.ofSeconds(60));
        assertEquals(inputs.stream().map(x -> new Point(x, x * x)).toList(), out);
    }

    @Test
    void workersAreReusedAcrossMaps() {
        List<Long> before = pool.pids();
        Set<Long> seen = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            seen.addAll(pool.map(List.of(1, 2, 3, 4, 5, 6), x -> ProcessHandle.current().pid(), 1, Duration.ofSeconds(60)));
        }
        assertTrue(before.containsAll(seen), "results came from " + seen + ", workers are " + before);
        assertEquals(before, pool.pids());
        assertTrue(pool.tasksPerWorker().values().stream().mapToInt(Integer::intValue).sum() >= 18);
    }

    @Test
    void theSeedsWorkloadGivesTheSameValuesAsInProcessAndAReport() {
        List<Integer> sizes = List.of(200_000, 300_000, 400_000, 500_000);
        assertEquals(sizes.stream().map(n -> Tasks.countTo(n)).toList(), pool.map(sizes, Tasks.countTo()));
        PoolReport r = pool.report();
        assertNotNull(r);
        assertEquals(4, r.tasks());
        assertTrue(r.workNanos() > 0 && r.serializeNanos() > 0 && r.wallNanos() > 0, r.toString());
        assertTrue(r.toString().contains("serialization"));
        assertFalse(pool.activities().isEmpty());
    }

    @Test
    void aFunctionThatThrowsNamesTheInputAndThePoolStaysUsable() {
        ChildFailedException e = assertThrows(ChildFailedException.class,
                () -> pool.map(List.of(5, 0, 2), x -> 10 / x, 1, Duration.ofSeconds(60)));
        assertTrue(e.getMessage().contains("inputs #1..1") && e.getMessage().contains("ArithmeticException"), e.getMessage());
        assertEquals(List.of(2, 5), pool.map(List.of(5, 2), x -> 10 / x));
    }

    @Test
    void aCrashedWorkerIsReportedAndReplaced() {
        ChildFailedException e = assertThrows(ChildFailedException.class,
                () -> pool.map(List.of(1), x -> {
                    Runtime.getRuntime().halt(9);
                    return x;
                }, 1, Duration.ofSeconds(60)));
        assertTrue(e.getMessage().contains("exit code 9"), e.getMessage());
        assertEquals(List.of(1, 2, 3), pool.map(List.of(1, 2, 3), x -> x));
        assertEquals(2, pool.pids().size());
        assertTrue(pool.pids().stream().allMatch(p -> ProcessHandle.of(p).isPresent()));
    }

    @Test
    void aMapThatRunsOverItsTimeoutKillsTheBusyWorker() {
        List<Long> before = pool.pids();
        ChildFailedException e = assertThrows(ChildFailedException.class,
                () -> pool.map(List.of(60_000), Tasks.sleeper(), 1, Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains("did not finish within 2000 ms"), e.getMessage());
        long killed = before.stream().filter(p -> !ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).count();
        assertEquals(1, killed, "exactly the busy worker was killed: " + before);
        assertEquals(List.of(3L), pool.map(List.of(3), Tasks.sleeper()));
        assertTrue(pool.allPids().size() > before.size() || !pool.pids().equals(before), "the killed worker was replaced");
    }

    @Test
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a deadlock would hang map() itself
    void largeInputsAndResultsFlowBothWaysAtOnce() {
        // Chunks and answers far larger than a pipe holds, several in flight per worker: a worker
        // blocked writing an answer must still be read from while its next chunk is written.
        // A pool of its own: a hung map would keep the shared pool's lock.
        String big = "x".repeat(300_000);
        List<String> inputs = IntStream.range(0, 24).mapToObj(i -> i + big).toList();
        try (ProcessPool own = new ProcessPool(2)) {
            assertEquals(inputs, own.map(inputs, s -> s, 2, Duration.ofSeconds(60)));
        }
    }

    @Test
    void anUnserializableResultIsNamed() {
        ChildFailedException e = assertThrows(ChildFailedException.class,
                () -> pool.map(List.of(1), x -> new Object(), 1, Duration.ofSeconds(60)));
        assertTrue(e.getMessage().contains("java.lang.Object does not implement java.io.Serializable"), e.getMessage());
    }
}
