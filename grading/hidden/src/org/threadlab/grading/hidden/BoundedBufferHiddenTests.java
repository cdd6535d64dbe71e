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
import org.threadlab.grading.exercises.Buffer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hidden tests of bounded-buffer. */
@HiddenTests("bounded-buffer")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class BoundedBufferHiddenTests {
    private final IntFunction<Buffer<Integer>> make = Exercises.BOUNDED_BUFFER.subject();

    @Test
    @Order(1)
    @Points(2)
    @Timeout(10)
    @DisplayName("capacity 1 with many threads: no lost wake-ups")
    void capacityOne() throws InterruptedException {
        Buffer<Integer> b = make.apply(1);
        AtomicLong total = new AtomicLong();
        int each = 4_000;
        Races.race(12, i -> {
            for (int k = 0; k < each; k++) {
                if (i < 6) b.put(1);
                else total.addAndGet(b.take());
            }
        });
        assertEquals(6L * each, total.get(), "6 producers put " + (6 * each) + " ones into a buffer of capacity 1 and 6 consumers "
                + "took " + total.get() + " of them");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(5)
    @DisplayName("a waiting take can be interrupted")
    void interruptibleTake() throws InterruptedException {
        Buffer<Integer> b = make.apply(2);
        AtomicReference<Object> got = new AtomicReference<>();
        Thread consumer = Races.daemon("grading-consumer", () -> {
            try {
                got.set(b.take());
            } catch (Throwable e) {
                got.set(e);
            }
        });
        consumer.join(300);
        consumer.interrupt();
        consumer.join(2000);
        assertTrue(!consumer.isAlive(), "take() on an empty buffer kept waiting after its thread was interrupted: "
                + "wait with wait()/await()/acquire(), which throw InterruptedException, and let it propagate (no busy loop)");
        assertTrue(got.get() instanceof InterruptedException, "an interrupted take() should throw InterruptedException, but it "
                + (got.get() instanceof Throwable ? "threw " + got.get() : "returned " + got.get()));
    }
}
