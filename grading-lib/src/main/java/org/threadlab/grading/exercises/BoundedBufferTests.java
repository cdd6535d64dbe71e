package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;
import org.threadlab.grading.Explore;
import org.threadlab.grading.Gate;
import org.threadlab.grading.Races;
import org.threadlab.interleave.Interleaving;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Visible tests of bounded-buffer. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class BoundedBufferTests {
    private final IntFactory<Buffer<Integer>> make = Exercises.BOUNDED_BUFFER.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(5)
    @DisplayName("first in, first out on one thread")
    void fifo() throws InterruptedException {
        Buffer<Integer> b = make.apply(3);
        assertEquals(0, b.size(), "a new buffer should be empty (size 0)");
        b.put(1);
        b.put(2);
        b.put(3);
        assertEquals(3, b.size(), "after three puts size() should be 3");
        assertEquals(1, b.take(), "take() should return the oldest item first");
        assertEquals(2, b.take(), "the second take() should return the second item put");
        b.put(4);
        assertEquals(3, b.take(), "items must come out in the order they went in");
        assertEquals(4, b.take(), "items must come out in the order they went in (after wrapping around)");
        assertEquals(0, b.size(), "after taking everything size() should be 0");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(5)
    @DisplayName("put waits while the buffer is full")
    void putBlocksWhenFull() throws InterruptedException {
        Buffer<Integer> b = make.apply(2);
        b.put(1);
        b.put(2);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread producer = Races.daemon("grading-producer", () -> {
            try {
                b.put(3);
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        // a right put waits (blocked, or still spinning after 3 s); a wrong one returns: no timing guess decides
        boolean waits = Gate.waitUntilWaiting(producer, 3_000) || producer.isAlive();
        if (failed.get() != null) fail("put(3) on a full buffer threw " + failed.get() + " instead of waiting for room");
        assertTrue(waits, "put(3) returned although the buffer (capacity 2) was full: put must wait while size == capacity");
        assertEquals(2, b.size(), "a buffer of capacity 2 must never hold more than 2 items");
        assertEquals(1, b.take(), "take() should return the oldest item");
        producer.join(3000);
        assertTrue(!producer.isAlive(), "put(3) still waits after a take() made room: take must wake waiting producers (notifyAll() or signal())");
        assertEquals(2, b.take(), "items must come out in the order they went in");
        assertEquals(3, b.take(), "the item of the waiting put should come out last");
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(5)
    @DisplayName("take waits while the buffer is empty")
    void takeBlocksWhenEmpty() throws InterruptedException {
        Buffer<Integer> b = make.apply(2);
        AtomicReference<Object> got = new AtomicReference<>();
        Thread consumer = Races.daemon("grading-consumer", () -> {
            try {
                got.set(b.take());
            } catch (Throwable e) {
                got.set(e);
            }
        });
        boolean waits = Gate.waitUntilWaiting(consumer, 3_000) || consumer.isAlive();
        if (got.get() instanceof Throwable e) fail("take() on an empty buffer threw " + e + " instead of waiting for an item");
        assertTrue(waits, "take() returned " + got.get() + " from an empty buffer: take must wait while size == 0");
        b.put(42);
        consumer.join(3000);
        assertTrue(!consumer.isAlive(), "take() still waits after a put(): put must wake waiting consumers (notifyAll() or signal())");
        assertEquals(42, got.get(), "take() should return the item that was put");
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(15)
    @DisplayName("many producers and consumers: nothing lost, nothing twice")
    void manyProducersAndConsumers() throws InterruptedException {
        int capacity = 4;
        Buffer<Integer> b = make.apply(capacity);
        int producers = 4;
        int each = 10_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(producers * each);
        int[] maxSize = new int[1];
        Races.race(2 * producers, i -> {
            if (i < producers) {
                for (int k = 0; k < each; k++) b.put(i * each + k);
            } else {
                for (int k = 0; k < each; k++) {
                    Integer v = b.take();
                    if (v == null || v < 0 || v >= seen.length()) throw new AssertionError("take() returned " + v + ", which no producer put");
                    seen.incrementAndGet(v);
                    int s = b.size();
                    if (s > maxSize[0]) maxSize[0] = s;
                }
            }
        });
        int lost = 0;
        int twice = 0;
        for (int i = 0; i < seen.length(); i++) {
            if (seen.get(i) == 0) lost++;
            else if (seen.get(i) > 1) twice++;
        }
        int l = lost;
        int t = twice;
        assertTrue(lost == 0 && twice == 0, () -> producers + " producers put " + (producers * each) + " different numbers and "
                + producers + " consumers took them: " + l + " were lost and " + t + " came out more than once. "
                + "put and take must change the buffer's state under one lock (or semaphores guarding a synchronized section).");
        assertTrue(maxSize[0] <= capacity, "size() was " + maxSize[0] + " in a buffer of capacity " + capacity + ": put must wait while it is full");
    }

    @Test
    @Order(5)
    @Points(2)
    @Timeout(120)
    @DisplayName("capacity 1, a producer and two consumers: no lost wake-up, under every schedule the engine tries")
    void lostWakeUpUnderTheEngine() throws InterruptedException {
        // the engine treats notify() as notifyAll(); a wake-up of the wrong kind is forced on real threads first
        String lost = WrongWakeUp.find(make);
        if (lost != null) fail(lost);
        String cls = Explore.className(make.apply(1));
        var made = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("a producer puts 1 and 2 into a buffer of capacity 1 while two consumers take one each",
                "interleave(() -> new Scenarios.Handoff(" + cls + "::new), Scenarios.Handoff::putTwo, Scenarios.Handoff::takeFirst, "
                        + "Scenarios.Handoff::takeSecond).firstFailure(s -> s.ok())",
                Interleaving.of(() -> new Scenarios.Handoff(made), Scenarios.Handoff::putTwo, Scenarios.Handoff::takeFirst,
                        Scenarios.Handoff::takeSecond), s -> s.ok(), made);
    }
}
