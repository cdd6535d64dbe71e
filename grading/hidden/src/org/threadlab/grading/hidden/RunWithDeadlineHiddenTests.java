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
import org.threadlab.grading.exercises.DeadlineRunner;
import org.threadlab.grading.exercises.Processes;
import org.threadlab.grading.exercises.RunWithDeadlineTests;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hidden tests of run-with-deadline. */
@HiddenTests("run-with-deadline")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class RunWithDeadlineHiddenTests {
    private final DeadlineRunner runner = Exercises.RUN_WITH_DEADLINE.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(20)
    @DisplayName("a quick program does not wait for the time limit")
    void quick() throws Exception {
        long start = System.nanoTime();
        assertEquals("", runner.run(List.of("true"), 10_000));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 3000, "true ends at once, but run(..) took " + ms + " ms with a 10 s limit");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(30)
    @DisplayName("a lot of standard error does not block, and is not returned")
    void bigStderr() throws Exception {
        assertEquals("done\n", runner.run(List.of("sh", "-c", "seq 1 200000 >&2; echo done"), 15_000));
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(20)
    @DisplayName("grandchildren are killed too")
    void grandchildren() throws Exception {
        Set<Long> sleeps = RunWithDeadlineTests.expectTimeout(runner,
                List.of("sh", "-c", "sh -c 'sleep 31 & wait' & wait"), 300, "sleep");
        assertTrue(!sleeps.isEmpty(), "the grandchild sleep was not seen");
        assertEquals(List.of(), Processes.stillAlive(sleeps, 1000));
    }
}
