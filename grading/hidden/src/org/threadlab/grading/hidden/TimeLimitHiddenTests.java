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
import org.threadlab.grading.exercises.TimeLimit;
import org.threadlab.grading.exercises.TimeLimitTests;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hidden tests of time-limit. */
@HiddenTests("time-limit")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class TimeLimitHiddenTests {
    private final TimeLimit limit = Exercises.TIME_LIMIT.subject();

    @Test
    @Order(1)
    @Points(2)
    @Timeout(10)
    @DisplayName("a tree that ignores SIGTERM is ended by force")
    void ignoresTerm() throws Exception {
        TimeLimitTests.leavesNothingBehind("a shell that ignores SIGTERM, with a sleeping child", () -> {
            long t0 = System.nanoTime();
            assertThrows(TimeoutException.class, () -> limit.run(List.of("sh", "-c", "trap '' TERM; sleep 30 & while :; do sleep 0.05; done"),
                    Duration.ofMillis(300)), "a command still running at its limit should end in a TimeoutException");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 2_300, "run should return within the limit plus 2 s even when SIGTERM is ignored, but took " + ms + " ms");
        });
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(15)
    @DisplayName("a megabyte of output does not stall the command")
    void bigOutput() throws Exception {
        // a pipe holds about 64 KB: a parent that waits for the exit before reading makes the child wait forever to write
        String out = limit.run(List.of("sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x"), Duration.ofSeconds(8));
        assertEquals(1_000_000, out.length(), "the command printed 1,000,000 characters; read its output while it runs "
                + "(a reader thread), not after waitFor, or it blocks once the pipe is full");
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(15)
    @DisplayName("a quick command does not wait for the limit")
    void quick() throws Exception {
        long t0 = System.nanoTime();
        assertEquals("fast\n", limit.run(List.of("sh", "-c", "echo fast"), Duration.ofSeconds(20)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 10_000, "a command that ends at once took " + ms + " ms with a limit of 20 s: wait with waitFor(limit), "
                + "which returns when the command ends");
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(15)
    @DisplayName("a lot of standard error does not stall the command, and comes back")
    void bigStderr() throws Exception {
        String out = limit.run(List.of("sh", "-c", "head -c 200000 /dev/zero | tr '\\0' e >&2"), Duration.ofSeconds(8));
        assertEquals(200_000, out.length(), "the command wrote 200,000 characters to standard error: merge it into the output "
                + "and read it while the command runs");
    }
}
