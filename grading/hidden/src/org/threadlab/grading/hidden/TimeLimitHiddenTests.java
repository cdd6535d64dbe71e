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
}
