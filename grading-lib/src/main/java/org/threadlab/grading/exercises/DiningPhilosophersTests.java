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
import org.threadlab.interleave.Interleaving;
import org.threadlab.grading.Races;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Visible tests of dining-philosophers: students see these, and check(DINING_PHILOSOPHERS, ...) runs them. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class DiningPhilosophersTests {
    private final IntFactory<Dinner> seat = Exercises.DINING_PHILOSOPHERS.subject();

    /** Spins for about {@code micros} µs: a meal long enough for neighbours to collide. */
    static void chew(long micros) {
        long end = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }

    @Test
    @Order(1)
    @Points(1)
    @Timeout(5)
    @DisplayName("each philosopher eats once, one after the other")
    void oneAtATime() throws InterruptedException {
        Dinner table = seat.apply(5);
        int[] meals = new int[5];
        for (int p = 0; p < 5; p++) {
            int me = p;
            table.dine(p, () -> meals[me]++);
        }
        for (int p = 0; p < 5; p++) {
            assertEquals(1, meals[p], "philosopher " + p + " called dine once, so eat should have run once, but it ran " + meals[p] + " times");
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(10)
    @DisplayName("neighbours never eat at the same time")
    void neighboursExclude() throws InterruptedException {
        int n = 5;
        Dinner table = seat.apply(n);
        AtomicIntegerArray eating = new AtomicIntegerArray(n);
        AtomicReference<String> clash = new AtomicReference<>();
        long[] dines = new long[n];
        AtomicLongArray meals = new AtomicLongArray(n);
        Races.race(n, p -> {
            long stop = System.nanoTime() + 700_000_000L;
            while (System.nanoTime() < stop && clash.get() == null) {
                dines[p]++;
                table.dine(p, () -> {
                    meals.incrementAndGet(p);
                    eating.set(p, 1);
                    int left = (p + n - 1) % n, right = (p + 1) % n;
                    if (eating.get(left) == 1 || eating.get(right) == 1) {
                        clash.compareAndSet(null, "philosopher " + p + " ate while neighbour " + (eating.get(left) == 1 ? left : right)
                                + " was eating: both held the fork between them. Take both forks (locks) before eating and keep them until done.");
                    }
                    chew(20);
                    eating.set(p, 0);
                });
            }
        });
        assertNull(clash.get(), clash::get);
        ateEveryMeal(dines, meals);
    }

    /** A table where nobody eats never clashes and never deadlocks: each dine must run its meal once. */
    static void ateEveryMeal(long[] dines, AtomicLongArray meals) {
        for (int p = 0; p < dines.length; p++) {
            assertTrue(dines[p] > 0 && meals.get(p) == dines[p], "philosopher " + p + " called dine " + dines[p] + " times but ate "
                    + meals.get(p) + " times: dine must run eat exactly once, holding both forks");
        }
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(15)
    @DisplayName("five hungry philosophers never deadlock")
    void noDeadlock() throws InterruptedException {
        // A table that can deadlock usually does within a second when every philosopher grabs at once;
        // the time limit turns a deadlock into a failed test (the stuck threads are daemons).
        int n = 5;
        for (int round = 0; round < 3; round++) {
            Dinner table = seat.apply(n);
            long[] dines = new long[n];
            AtomicLongArray meals = new AtomicLongArray(n);
            Races.race(n, p -> {
                long stop = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < stop) {
                    dines[p]++;
                    table.dine(p, () -> { meals.incrementAndGet(p); chew(5); });
                }
            });
            ateEveryMeal(dines, meals);
        }
    }

    @Test
    @Order(4)
    @Points(2)
    @Timeout(120)
    @DisplayName("no deadlock under every schedule the engine tries (three philosophers), no livelock on real threads (two)")
    void noDeadlockUnderTheEngine() throws InterruptedException {
        // the engine lets one philosopher finish alone in every interleaving, and chance seldom keeps real ones in step,
        // so neither sees a back-off that puts its fork down and retries at once: that livelock is forced on real threads first
        Livelock.judge(Livelock.findAtTable(seat));
        String cls = Explore.className(seat.apply(3));
        var made = seat;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("three philosophers each try to eat once",
                "interleave(() -> new Scenarios.Table(" + cls + "::new), Scenarios.Table::zero, Scenarios.Table::one, Scenarios.Table::two)"
                        + ".firstFailure(s -> s.ok())",
                Interleaving.of(() -> new Scenarios.Table(made), Scenarios.Table::zero, Scenarios.Table::one, Scenarios.Table::two),
                s -> s.ok(), made);
    }
}
