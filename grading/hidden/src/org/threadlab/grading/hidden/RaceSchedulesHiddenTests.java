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
import org.threadlab.grading.exercises.RaceSchedules;
import org.threadlab.interleave.Interleaving;
import org.threadlab.interleave.Run;
import org.threadlab.grading.exercises.RaceCases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hidden tests of race-schedules. */
@HiddenTests("race-schedules")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class RaceSchedulesHiddenTests {
    private final RaceSchedules answers = Exercises.RACE_SCHEDULES.subject();

    @Test
    @Order(1)
    @Points(2)
    @Timeout(10)
    @DisplayName("three increments leave n=1")
    void twoLost() {
        String s = answers.twoLost();
        assertTrue(s != null && s.matches("[A-C]+"), "twoLost() should be a schedule of the letters A, B and C, not " + s);
        Run r = Interleaving.of(RaceCases.Counter::new, RaceCases.Counter::inc, RaceCases.Counter::inc, RaceCases.Counter::inc).schedule(s);
        assertTrue(r.problems().isEmpty(), "schedule(\"" + s + "\") could not run as written: " + r.problems());
        assertEquals("n=1", r.outcome(), "schedule(\"" + s + "\") with three threads ends with " + r.outcome());
    }
}
