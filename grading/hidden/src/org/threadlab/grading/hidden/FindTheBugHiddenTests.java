package org.threadlab.grading.hidden;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Explore;
import org.threadlab.grading.Gate;
import org.threadlab.grading.HiddenTests;
import org.threadlab.grading.Points;
import org.threadlab.grading.Races;
import org.threadlab.grading.exercises.BoxOffice;
import org.threadlab.grading.exercises.IntFactory;
import org.threadlab.grading.exercises.Sale;
import org.threadlab.interleave.Interleaving;

import java.util.HashSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hidden tests of find-the-bug. */
@HiddenTests("find-the-bug")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class FindTheBugHiddenTests {
    private final IntFactory<BoxOffice> make = Exercises.FIND_THE_BUG.subject();

    @Test
    @Order(1)
    @Points(2)
    @Timeout(120)
    @DisplayName("two buyers for two seats: both get one and both names are kept, under every schedule the engine tries")
    void twoSeats() {
        String cls = Explore.className(make.apply(2));
        var made = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("two threads each buy from an office with 2 seats",
                "interleave(() -> new Sale(" + cls + "::new, 2), Sale::buyA, Sale::buyB).firstFailure(s -> s.ok())",
                Interleaving.of(() -> new Sale(made, 2), Sale::buyA, Sale::buyB), s -> s.ok(), made);
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(120)
    @DisplayName("a reader goes through buyers() while a seat is sold: the list before or after the sale, under every schedule the engine tries")
    void readerDuringASale() {
        String cls = Explore.className(make.apply(2));
        var made = make;
        Explore.noFailure("one thread buys a seat while another goes through the list buyers() returned",
                "interleave(() -> new Sale(" + cls + "::new, 2), Sale::buyA, Sale::read).firstFailure(s -> s.readOk())",
                Interleaving.of(() -> new Sale(made, 2), Sale::buyA, Sale::read), s -> s.readOk(), made);
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(10)
    @DisplayName("a caller holding the office's lock keeps buy() waiting, as the policy lets callers do")
    void callersMayHoldTheLock() throws InterruptedException {
        BoxOffice office = make.apply(2);
        AtomicReference<Object> got = new AtomicReference<>();
        Thread buyer;
        boolean waited;
        synchronized (office) {
            buyer = Races.daemon("grading-buyer", () -> {
                try {
                    got.set(office.buy("late"));
                } catch (Throwable e) {
                    got.set(e);
                }
            });
            // forced overlap: the buyer runs while this thread holds the lock the policy names
            waited = Gate.waitUntilWaiting(buyer, 3_000);
        }
        buyer.join(3_000);
        if (got.get() instanceof Throwable e) throw new AssertionError("buy() threw " + e, e);
        assertTrue(waited, "buy() sold a seat while another thread held the office's lock (synchronized (office)): the policy says "
                + "the seats left and the buyers are guarded by the office's own lock, so buy() must take it (synchronized)");
        assertEquals(Boolean.TRUE, got.get(), "buy() should sell a seat once the lock was free");
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(60)
    @DisplayName("8 threads released at once buy from 5 seats, 100 rounds: 5 sold each round, never more")
    void manyBuyersAtOnce() throws InterruptedException {
        for (int round = 0; round < 100; round++) {
            BoxOffice office = make.apply(5);
            AtomicInteger sold = new AtomicInteger();
            Races.race(8, i -> {
                if (office.buy("buyer-" + i)) sold.incrementAndGet();
            });
            int r = round;
            assertEquals(5, sold.get(), () -> "round " + r + ": 8 threads bought from 5 seats and " + sold.get() + " buys succeeded");
            assertEquals(0, office.left(), "round " + round + ": left() after selling out");
            assertEquals(5, new HashSet<>(office.buyers()).size(), "round " + round + ": buyers " + office.buyers()
                    + " should be 5 different names");
        }
    }
}
