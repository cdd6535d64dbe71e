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
import org.threadlab.grading.exercises.PipeRoundTrip;
import org.threadlab.grading.exercises.PipeRoundTripTests;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hidden tests of pipe-round-trip. */
@HiddenTests("pipe-round-trip")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class PipeRoundTripHiddenTests {
    private final PipeRoundTrip pipe = Exercises.PIPE_ROUND_TRIP.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(20)
    @DisplayName("long lines and non-ASCII text")
    void longLines() throws Exception {
        List<String> lines = List.of("x".repeat(100_000), "naïve café, 東京", "", "last");
        assertEquals(lines, pipe.roundTrip(lines));
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(30)
    @DisplayName("two callers at once, each with its own child")
    void twoCallers() throws Exception {
        List<String> a = PipeRoundTripTests.numbered(50_000);
        List<String> b = new ArrayList<>(PipeRoundTripTests.numbered(30_000));
        b.replaceAll(s -> "b " + s);
        List<List<String>> got = new ArrayList<>(List.of(List.of(), List.of()));
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                got.set(1, pipe.roundTrip(b));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        got.set(0, pipe.roundTrip(a));
        other.join();
        assertEquals(a, got.get(0));
        assertEquals(b, got.get(1));
    }
}
