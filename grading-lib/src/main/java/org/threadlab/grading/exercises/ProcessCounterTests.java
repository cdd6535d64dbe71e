package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;
import org.threadlab.grading.Races;
import org.threadlab.ipc.SharedCounter;
import org.threadlab.run.ChildJvm;

import java.time.Duration;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Visible tests of process-counter: students see these, and check(PROCESS_COUNTER, ...) runs them. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ProcessCounterTests {
    private final Function<String, ProcessCounter> open = Exercises.PROCESS_COUNTER.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(10)
    @DisplayName("one thread: starts at 0, counts up")
    void oneThread() {
        try (SharedCounter file = SharedCounter.create(); ProcessCounter c = open.apply(file.path().toString())) {
            assertEquals(0, c.get(), "a fresh counter file holds 0");
            assertEquals(1, c.increment(), "the first increment should return 1");
            assertEquals(2, c.increment(), "the second increment should return 2");
            assertEquals(2, c.get(), "after two increments get() should be 2");
            assertEquals(2, file.get(), "the file itself should hold 2: write the long at offset 0 in native byte order");
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(20)
    @DisplayName("two mappings of one file, raced by 8 threads, lose nothing")
    void twoMappings() throws InterruptedException {
        // two separate mappings of the same file behave like two processes: the same page, no shared Java object
        for (int round = 0; round < 3; round++) {
            try (SharedCounter file = SharedCounter.create();
                 ProcessCounter a = open.apply(file.path().toString());
                 ProcessCounter b = open.apply(file.path().toString())) {
                long[] made = new long[8];
                Races.race(8, i -> {
                    ProcessCounter mine = i % 2 == 0 ? a : b;
                    long k = 0, stop = System.nanoTime() + 300_000_000L;
                    do { mine.increment(); k++; } while ((k & 255) != 0 || System.nanoTime() < stop);
                    made[i] = k;
                });
                long expected = java.util.Arrays.stream(made).sum();
                assertEquals(expected, a.get(), expected + " increments were made through two mappings of one file, but the counter says "
                        + a.get() + ": a read followed by a write loses updates; add with one atomic instruction (a VarHandle's getAndAdd "
                        + "on the mapped buffer)");
            }
        }
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(60)
    @DisplayName("a child process counting at the same time loses nothing")
    void childProcess() {
        int each = 2_000_000;
        try (SharedCounter file = SharedCounter.create(); ProcessCounter mine = open.apply(file.path().toString())) {
            String path = file.path().toString();
            try (ChildJvm<Long> child = ChildJvm.forkStatic(SharedCounter.class, "addFrom", path, each, true)) {
                for (int i = 0; i < each; i++) mine.increment();
                child.get(Duration.ofSeconds(50));
            }
            assertEquals(2L * each, mine.get(), "this JVM and a child JVM each added " + each + " to the counter, which shows "
                    + mine.get() + ": increments were lost between processes (make them atomic on the shared page)");
        }
    }
}
