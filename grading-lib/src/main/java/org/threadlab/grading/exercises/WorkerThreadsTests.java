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
import org.threadlab.grading.Races;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Visible tests of worker-threads. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class WorkerThreadsTests {
    private final Workers workers = Exercises.WORKER_THREADS.subject();

    static List<String> names(String prefix, int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) names.add(prefix + i);
        return names;
    }

    /**
     * Calls runAll on a thread of its own while every task waits at a gate that opens only once
     * runAll has returned or has been waiting for a while: a runAll that does not wait for its
     * threads returns while none of them has ended, whatever the machine's speed.
     */
    public static void endedWhenItReturns(Workers workers, int n) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger ended = new AtomicInteger();
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        AtomicInteger endedAtReturn = new AtomicInteger(-1);
        Thread caller = new Thread(() -> {
            try {
                workers.runAll(names("worker-", n), () -> {
                    ran.add(Thread.currentThread());
                    try {
                        gate.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    ended.incrementAndGet();
                });
                endedAtReturn.set(ended.get());
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "grading-caller");
        caller.setDaemon(true);
        caller.start();
        Gate.openWhenWaitingOrDone(caller, gate, 8_000);
        caller.join(12_000);
        if (failed.get() instanceof RuntimeException r) throw r;
        if (failed.get() instanceof Error e) throw e;
        if (failed.get() != null) throw new IllegalStateException(failed.get());
        assertTrue(!caller.isAlive(), "runAll did not return within 12 s although every task ended");
        assertEquals(n, endedAtReturn.get(), "runAll returned when " + endedAtReturn.get() + " of " + n + " tasks had ended: "
                + "join every thread you started before returning");
        for (Thread t : ran) {
            assertTrue(!t.isAlive() || t.getState() == Thread.State.TERMINATED, "thread " + t.getName() + " still ran after runAll returned");
        }
    }

    @Test
    @Order(1)
    @Points(1)
    @Timeout(10)
    @DisplayName("every thread has its name and runs the task once")
    void names() throws InterruptedException {
        List<String> want = names("w", 5);
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        workers.runAll(want, () -> seen.add(Thread.currentThread().getName()));
        List<String> sorted = new ArrayList<>(seen);
        java.util.Collections.sort(sorted);
        assertEquals(want, sorted, "runAll(" + want + ", task) ran the task on threads named " + seen
                + ": start one thread per name, named with it (new Thread(task, name) or Thread.ofPlatform().name(name))");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(15)
    @DisplayName("every thread has ended when runAll returns")
    void joined() throws Exception {
        endedWhenItReturns(workers, 4);
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(15)
    @DisplayName("all threads run at the same time (all started before any is joined)")
    void together() throws InterruptedException {
        int n = 4;
        CountDownLatch all = new CountDownLatch(n);
        AtomicInteger alone = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        workers.runAll(names("t", n), () -> {
            threads.add(Thread.currentThread().getName());
            all.countDown();
            try {
                // every task waits here until all 4 run: threads started and joined one by one never get there
                if (!all.await(4, TimeUnit.SECONDS)) alone.incrementAndGet();
            } catch (InterruptedException e) {
                alone.incrementAndGet();
            }
        });
        assertEquals(0, alone.get(), alone.get() + " of " + n + " tasks waited 4 s for the others to run at the same time: start every "
                + "thread first, then join them all (start-then-join in one loop runs them one after the other)");
        assertEquals(n, threads.size(), "the tasks ran on " + threads.size() + " threads instead of " + n);
    }
}
