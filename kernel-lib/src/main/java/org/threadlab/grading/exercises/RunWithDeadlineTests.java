package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Visible tests of run-with-deadline. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class RunWithDeadlineTests {
    private final DeadlineRunner runner = Exercises.RUN_WITH_DEADLINE.subject();

    /** Runs the command expecting a timeout; returns the PIDs of `program` seen while it ran. */
    public static Set<Long> expectTimeout(DeadlineRunner runner, List<String> command, long timeoutMs, String program) throws Exception {
        Set<Long> seen = new TreeSet<>();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                runner.run(command, timeoutMs);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        long start = System.nanoTime();
        while (!outcome.isDone()) {
            seen.addAll(Processes.descendantsRunning(program));
            Thread.sleep(25);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        Throwable t = outcome.get();
        if (t == null) fail(command + " runs for 30 s, but run(..) returned normally after " + ms + " ms; it should throw TimeoutException");
        if (!(t instanceof TimeoutException)) {
            fail("expected a TimeoutException, got " + t.getClass().getName() + ": " + t.getMessage());
        }
        assertTrue(ms < timeoutMs + 3000, "the time limit was " + timeoutMs + " ms but run(..) took " + ms + " ms to give up");
        return seen;
    }

    @Test
    @Order(1)
    @Points(1)
    @Timeout(20)
    @DisplayName("returns what the program printed, whatever its exit code")
    void output() throws Exception {
        assertEquals("hello\n", runner.run(List.of("echo", "hello"), 5000));
        assertEquals("oops\n", runner.run(List.of("sh", "-c", "echo oops; exit 3"), 5000),
                "a program that fails (exit code 3) still printed something: return it");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(20)
    @DisplayName("a program that runs too long is killed, and run(..) throws TimeoutException")
    void killed() throws Exception {
        Set<Long> sleeps = expectTimeout(runner, List.of("sleep", "30"), 300, "sleep");
        assertTrue(!sleeps.isEmpty(), "the test never saw the sleep process running");
        assertEquals(List.of(), Processes.stillAlive(sleeps, 1000), "the process is still alive after the timeout: destroy it");
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(20)
    @DisplayName("the processes it started are killed too")
    void tree() throws Exception {
        Set<Long> sleeps = expectTimeout(runner, List.of("sh", "-c", "sleep 30 & sleep 30 & wait"), 300, "sleep");
        assertTrue(sleeps.size() >= 2, "the test did not see the shell's two sleep children");
        assertEquals(List.of(), Processes.stillAlive(sleeps, 1000), "the shell's children are still alive: kill "
                + "process.descendants() as well as the process itself");
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(30)
    @DisplayName("a lot of output does not block the program")
    void bigOutput() throws Exception {
        String out = runner.run(List.of("seq", "1", "200000"), 15000);
        assertTrue(out.startsWith("1\n2\n3\n") && out.endsWith("\n200000\n"), "the whole output of seq 1 200000 should come back");
    }
}
