package org.threadlab.grading.hidden;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.HiddenTests;
import org.threadlab.grading.Points;
import org.threadlab.grading.exercises.EventLoop;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hidden tests of event-loop. */
@HiddenTests("event-loop")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class EventLoopHiddenTests {
    @Test
    @Order(1)
    @Points(1)
    @Timeout(10)
    @DisplayName("nothing scheduled: run() returns at once")
    void empty() throws Exception {
        var clock = org.threadlab.grading.exercises.WallTime.start();
        Exercises.EVENT_LOOP.subject().get().run();
        clock.assertUnder(500, ms -> "with nothing scheduled, run() took " + ms + " ms: return at once when no task is left");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(20)
    @DisplayName("5,000 tasks at random times run in the order they are due")
    void randomTimes() throws Exception {
        EventLoop loop = Exercises.EVENT_LOOP.subject().get();
        SplittableRandom r = new SplittableRandom(5);
        // each task's due time lies between the clock before and after its callLater (a pause of the
        // JVM in between must not count against the loop); in the order they ran
        List<long[]> ran = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            long d = r.nextLong(0, 200);
            long before = System.nanoTime() + d * 1_000_000;
            long[] due = {before, 0};
            loop.callLater(d, () -> ran.add(due));
            due[1] = System.nanoTime() + d * 1_000_000;
        }
        loop.run();
        assertEquals(5000, ran.size());
        for (int i = 1; i < ran.size(); i++) {
            long earliestOfPrevious = ran.get(i - 1)[0], latestOfThis = ran.get(i)[1];
            assertTrue(earliestOfPrevious <= latestOfThis, "task " + i + " ran after a task due "
                    + (earliestOfPrevious - latestOfThis) / 1_000_000 + " ms later than it");
        }
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(10)
    @DisplayName("waiting does not burn the CPU")
    void noBusyWait() throws Exception {
        EventLoop loop = Exercises.EVENT_LOOP.subject().get();
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        loop.callLater(400, () -> ran.set(true));
        var bean = ManagementFactory.getThreadMXBean();
        long cpu0 = bean.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        loop.run();
        long cpuMs = (bean.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ran.get() && wallMs >= 350, "run() returned after " + wallMs + " ms" + (ran.get() ? "" : " without running the task")
                + ": it should wait until the task due in 400 ms has run");
        assertTrue(cpuMs < 150, "run() used " + cpuMs + " ms of CPU to wait 400 ms: sleep until the next task is due");
    }
}
