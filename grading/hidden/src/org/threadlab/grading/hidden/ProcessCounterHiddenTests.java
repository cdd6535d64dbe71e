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
import org.threadlab.grading.exercises.ProcessCounterTests;
import org.threadlab.ipc.SharedCounter;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
            // every value 1..CAP the counter hands out sets its bit; a bit set twice is a value returned twice
            int cap = 1 << 24;
            AtomicLongArray bits = new AtomicLongArray(cap / 64 + 1);
            AtomicLong made = new AtomicLong(), interleaved = new AtomicLong();
            // 20,000 increments a thread took under a millisecond, less than a thread takes to start: the four
            // seldom overlapped and a read-then-write counter passed. So each counts until it has had 100 ms of
            // CPU: on a busy machine that is many time slices, each a chance for the threads to interleave.
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Races.race(4, i -> {
                ProcessCounter mine = i % 2 == 0 ? a : b;
                long stop = mx.getCurrentThreadCpuTime() + 100_000_000L, last = -1, k = 0;
                do {
                    long v = mine.increment();
                    k++;
                    if (v < 1 || v > cap) break;   // past what the bits hold (or nonsense, which the count below catches)
                    if (v != last + 1) interleaved.incrementAndGet();
                    last = v;
                    long bit = 1L << (v & 63);
                    if ((bits.getAndAccumulate((int) (v >>> 6), bit, (word, mask) -> word | mask) & bit) != 0) {
                        throw new AssertionError("increment returned " + v + " twice: return the value your own "
                                + "atomic add produced (getAndAdd's result + 1), not a separate read afterwards");
                    }
                } while ((k & 255) != 0 || mx.getCurrentThreadCpuTime() < stop);
                made.addAndGet(k);
            });
            assertEquals(made.get(), a.get(), "4 threads made " + made.get() + " increments but the counter shows " + a.get());
            // the visible tests' MIN_INTERLEAVINGS: threads that only take turns on one core interleave a few hundred times
            assumeTrue(interleaved.get() >= ProcessCounterTests.MIN_INTERLEAVINGS, "other threads' increments came between one thread's own only "
                    + interleaved.get() + " times: the machine did not run the threads at the same time (too busy, or one "
                    + "core), so a value returned twice could not show");
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
