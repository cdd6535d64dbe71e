package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Visible tests of event-loop. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class EventLoopTests {
    private EventLoop fresh() {
        return Exercises.EVENT_LOOP.subject().get();
    }

    @Test
    @Order(1)
    @Points(2)
    @Timeout(10)
    @DisplayName("tasks run earliest first; equal times in the order scheduled")
    void order() throws Exception {
        EventLoop loop = fresh();
        List<String> ran = new ArrayList<>();
        loop.callLater(60, () -> ran.add("c"));
        loop.callLater(20, () -> ran.add("a"));
        loop.callLater(40, () -> ran.add("b"));
        loop.callLater(0, () -> ran.add("x"));
        loop.callLater(0, () -> ran.add("y"));
        loop.run();
        assertEquals(List.of("x", "y", "a", "b", "c"), ran, "order by due time, then by the order of callLater");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(10)
    @DisplayName("every task runs on the thread that called run()")
    void oneThread() throws Exception {
        EventLoop loop = fresh();
        Set<Thread> threads = Collections.synchronizedSet(new HashSet<>());
        for (int i = 0; i < 20; i++) loop.callLater(i % 5, () -> threads.add(Thread.currentThread()));
        loop.run();
        assertEquals(Set.of(Thread.currentThread()), threads, "an event loop runs everything on one thread: the caller of run()");
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(10)
    @DisplayName("1,000 tasks waiting 100 ms each take about 100 ms in all")
    void waitsOverlap() throws Exception {
        EventLoop loop = fresh();
        int[] count = {0};
        for (int i = 0; i < 1000; i++) loop.callLater(100, () -> count[0]++);
        WallTime clock = WallTime.start();
        loop.run();
        long ms = clock.ms();
        assertEquals(1000, count[0]);
        assertTrue(ms >= 95, "the tasks were due in 100 ms, but run() returned after " + ms + " ms: do not run a task before it is due");
        clock.assertUnder(600, t -> "1,000 tasks due in 100 ms took " + t + " ms: wait until the earliest task is due, not a delay per task");
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(10)
    @DisplayName("a task can schedule the next step")
    void chained() throws Exception {
        EventLoop loop = fresh();
        List<Integer> steps = new ArrayList<>();
        loop.callLater(30, () -> {
            steps.add(1);
            loop.callLater(30, () -> {
                steps.add(2);
                loop.callLater(30, () -> steps.add(3));
            });
        });
        long start = System.nanoTime();
        loop.run();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of(1, 2, 3), steps, "run() must also run tasks scheduled by tasks, and return only when none is left");
        assertTrue(ms >= 85, "three steps of 30 ms each took only " + ms + " ms: each delay counts from its callLater");
    }
}
