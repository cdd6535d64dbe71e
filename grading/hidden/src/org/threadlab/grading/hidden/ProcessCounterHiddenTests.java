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
import org.threadlab.grading.Races;
import org.threadlab.grading.exercises.ProcessCounter;
import org.threadlab.ipc.SharedCounter;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hidden tests of process-counter. */
@HiddenTests("process-counter")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ProcessCounterHiddenTests {
    private final Function<String, ProcessCounter> open = Exercises.PROCESS_COUNTER.subject();

    @Test
    @Order(1)
    @Points(2)
    @Timeout(20)
    @DisplayName("every increment returns a value no other increment returned")
    void uniqueValues() throws InterruptedException {
        try (SharedCounter file = SharedCounter.create();
             ProcessCounter a = open.apply(file.path().toString());
             ProcessCounter b = open.apply(file.path().toString())) {
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            int each = 20_000;
            Races.race(4, i -> {
                ProcessCounter mine = i % 2 == 0 ? a : b;
                for (int k = 0; k < each; k++) {
                    long v = mine.increment();
                    if (!seen.add(v)) throw new AssertionError("increment returned " + v + " twice: return the value your own "
                            + "atomic add produced (getAndAdd's result + 1), not a separate read afterwards");
                }
            });
            assertEquals(4L * each, seen.size(), "4 threads made " + (4 * each) + " increments but only " + seen.size() + " distinct values came back");
        }
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(10)
    @DisplayName("the value outlives the mapping")
    void reopened() {
        try (SharedCounter file = SharedCounter.create()) {
            try (ProcessCounter first = open.apply(file.path().toString())) {
                for (int i = 0; i < 5; i++) first.increment();
            }
            try (ProcessCounter second = open.apply(file.path().toString())) {
                assertEquals(5, second.get(), "5 increments were made and the counter closed; a new mapping of the file should read 5");
                assertEquals(6, second.increment(), "and count on from there");
            }
        }
    }
}
