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
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Visible tests of pipe-round-trip. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class PipeRoundTripTests {
    private final PipeRoundTrip pipe = Exercises.PIPE_ROUND_TRIP.subject();

    public static List<String> numbered(int n) {
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) lines.add("line " + i + " of " + n);
        return lines;
    }

    @Test
    @Order(1)
    @Points(2)
    @Timeout(20)
    @DisplayName("a few lines come back, in order")
    void few() throws Exception {
        assertEquals(List.of("one", "two", "three"), pipe.roundTrip(List.of("one", "two", "three")));
        assertEquals(List.of(), pipe.roundTrip(List.of()), "no lines in, no lines out (close the child's input so it ends)");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(20)
    @DisplayName("200,000 lines: more than the pipes can hold, still no deadlock")
    void many() throws Exception {
        List<String> lines = numbered(200_000);
        // on a thread of its own, so that a deadlock between the two processes gets its name instead of the time limit's words
        var call = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return pipe.roundTrip(lines);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, r -> {
            Thread t = new Thread(r, "roundTrip of 200,000 lines");
            t.setDaemon(true);   // a deadlock this test cannot name (no wchan) must not keep the JVM alive after the time limit
            t.start();
        });
        List<String> back = null;
        int stuck = 0;
        try {
            while (back == null) {
                try {
                    back = call.get(1, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException notYet) {
                    // the deadlock's sign: cat sleeps in a write to its output pipe, which nobody reads; a slow but
                    // right answer reads all along, so cat cannot sleep there for seconds on end
                    Set<Long> cats = Processes.descendantsRunning("cat");
                    stuck = !cats.isEmpty() && cats.stream().allMatch(Processes::blockedWritingAPipe) ? stuck + 1 : 0;
                    if (stuck < 3) continue;
                    // killing cat breaks both pipes, so the stuck write fails and the thread ends
                    cats.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                    throw new AssertionError("roundTrip of 200,000 lines is stuck: cat has waited 3 s to write to its output "
                            + "pipe, which nobody reads. If roundTrip writes every line before reading any, cat's output pipe "
                            + "(about 64 KB) fills, cat stops reading, your writes fill its input pipe, and the two processes wait "
                            + "for each other for ever (a deadlock between processes). Write from one thread and read from another.");
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
        assertEquals(lines.size(), back.size(), "some lines did not come back");
        assertEquals(lines, back);
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(20)
    @DisplayName("the child has ended when roundTrip returns")
    void childEnded() throws Exception {
        pipe.roundTrip(List.of("a", "b"));
        Set<Long> cats = Processes.descendantsRunning("cat");
        assertTrue(cats.isEmpty() || Processes.stillAlive(cats, 1000).isEmpty(),
                "a cat process is still running after roundTrip returned: close its input and waitFor() it");
    }
}
