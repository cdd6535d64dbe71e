package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;
import org.threadlab.grading.Gate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Visible tests of pool-map. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class PoolMapTests {
    private final PoolMap pool = Exercises.POOL_MAP.subject();

    static List<Integer> upTo(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(i);
        return l;
    }

    @Test
    @Order(1)
    @Points(1)
    @Timeout(10)
    @DisplayName("results come back in the order of the items")
    void inOrder() throws Exception {
        List<Integer> got = pool.map(x -> {
            try {
                Thread.sleep((20 - x) % 5);   // later items often finish first
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return x * x;
        }, upTo(20), 4);
        List<Integer> want = new ArrayList<>();
        for (int i = 0; i < 20; i++) want.add(i * i);
        assertEquals(want, got, "map(x -> x * x, [0..19], 4) should give the squares in the order of the items");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(20)
    @DisplayName("3 threads run 3 tasks at once, never more")
    void threadsAtOnce() throws Exception {
        int threads = 3;
        CyclicBarrier round = new CyclicBarrier(threads);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> got;
        try {
            got = pool.map(x -> {
                int now = inside.incrementAndGet();
                most.accumulateAndGet(now, Math::max);
                try {
                    // 3 tasks meet here: fewer threads never get 3 together, more would be seen inside at once
                    round.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException("only " + round.getNumberWaiting() + " other task(s) ran at the same time", e);
                } finally {
                    inside.decrementAndGet();
                }
                return x;
            }, upTo(9), threads);
        } catch (Exception e) {
            throw new AssertionError("with 3 threads, 3 tasks must run at once, but they waited 5 s for each other (" + e
                    + "): use a pool of exactly 'threads' threads (Executors.newFixedThreadPool(threads))");
        }
        assertEquals(upTo(9), got, "map(x -> x, [0..8], 3) should give [0..8]");
        assertEquals(threads, most.get(), most.get() + " tasks ran at once with threads = 3: the pool must have exactly 3 threads");
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(20)
    @DisplayName("every task has finished and the pool is closed when map returns")
    void waitsAndCloses() throws Exception {
        ThreadCensus census = ThreadCensus.take();
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger finishedAtReturn = new AtomicInteger(-1);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                result.set(pool.map(x -> {
                    try {
                        gate.await(10, TimeUnit.SECONDS);   // opens once map returned, or has been waiting a while
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    finished.incrementAndGet();
                    return x + 1;
                }, upTo(6), 2));
                finishedAtReturn.set(finished.get());
            } catch (Throwable e) {
                result.set(e);
            }
        }, "grading-caller");
        caller.setDaemon(true);
        caller.start();
        Gate.openWhenWaitingOrDone(caller, gate, 8_000);
        caller.join(15_000);
        if (result.get() instanceof Throwable e) throw new AssertionError("map threw " + e, e);
        assertEquals(6, finishedAtReturn.get(), "map returned when " + finishedAtReturn.get() + " of 6 tasks had finished: wait for "
                + "every task (Future.get(), invokeAll, or shutdown() and then awaitTermination()) before returning");
        assertEquals(List.of(1, 2, 3, 4, 5, 6), result.get(), "map(x -> x + 1, [0..5], 2) should give [1..6]");
        List<String> left = census.leftRunning(2_000);
        assertTrue(left.isEmpty(), "threads still ran 2 s after map returned: " + left + ". Close the pool (shutdown(), or a "
                + "try-with-resources block on the ExecutorService)");
    }
}
