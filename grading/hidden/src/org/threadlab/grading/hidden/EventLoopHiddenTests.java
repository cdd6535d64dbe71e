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
        long start = System.nanoTime();
        Exercises.EVENT_LOOP.subject().get().run();
        assertTrue((System.nanoTime() - start) / 1_000_000 < 500);
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(20)
    @DisplayName("5,000 tasks at random times run in the order they are due")
    void randomTimes() throws Exception {
        EventLoop loop = Exercises.EVENT_LOOP.subject().get();
        SplittableRandom r = new SplittableRandom(5);
        List<Long> ran = new ArrayList<>();   // the due time of each task, as the test computed it, in the order they ran
        for (int i = 0; i < 5000; i++) {
            long d = r.nextLong(0, 200);
            long due = System.nanoTime() + d * 1_000_000;
            loop.callLater(d, () -> ran.add(due));
        }
        loop.run();
        assertEquals(5000, ran.size());
        for (int i = 1; i < ran.size(); i++) {
            // the loop reads the clock a little after the test: allow 5 ms between neighbours
            assertTrue(ran.get(i - 1) <= ran.get(i) + 5_000_000, "task " + i + " ran after a task due "
                    + (ran.get(i - 1) - ran.get(i)) / 1_000_000 + " ms later than it");
        }
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(10)
    @DisplayName("waiting does not burn the CPU")
    void noBusyWait() throws Exception {
        EventLoop loop = Exercises.EVENT_LOOP.subject().get();
        loop.callLater(400, () -> { });
        var bean = ManagementFactory.getThreadMXBean();
        long cpu0 = bean.getCurrentThreadCpuTime();
        loop.run();
        long cpuMs = (bean.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
        assertTrue(cpuMs < 150, "run() used " + cpuMs + " ms of CPU to wait 400 ms: sleep until the next task is due");
    }
}
