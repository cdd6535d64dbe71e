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
        List<String> back = pipe.roundTrip(lines);
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
