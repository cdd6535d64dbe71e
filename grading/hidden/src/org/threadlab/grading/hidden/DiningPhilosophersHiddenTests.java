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
import org.threadlab.grading.exercises.Dinner;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hidden tests of dining-philosophers. */
@HiddenTests("dining-philosophers")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class DiningPhilosophersHiddenTests {
    private final IntFunction<Dinner> seat = Exercises.DINING_PHILOSOPHERS.subject();

    static void chew(long micros) {
        long end = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }

    @Test
    @Order(1)
    @Points(2)
    @Timeout(10)
    @DisplayName("no philosopher starves")
    void nobodyStarves() throws InterruptedException {
        int n = 5;
        Dinner table = seat.apply(n);
        long[] meals = new long[n];
        long[] dines = new long[n];
        Races.race(n, p -> {
            long stop = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < stop) {
                dines[p]++;
                table.dine(p, () -> { meals[p]++; chew(100); });
            }
        });
        for (int p = 0; p < n; p++) {
            assertTrue(dines[p] > 0 && meals[p] == dines[p], "philosopher " + p + " called dine " + dines[p] + " times and ate "
                    + meals[p] + " times: every dine must run eat once");
        }
        double mean = Arrays.stream(meals).average().orElse(0);
        for (int p = 0; p < n; p++) {
            assertTrue(meals[p] >= mean / 20, "philosopher " + p + " ate " + meals[p] + " times while the table's average was "
                    + Math.round(mean) + " " + Arrays.toString(meals) + ": it starved. Let forks go to whoever waited longest "
                    + "(fair locks) or let philosophers take turns.");
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(15)
    @DisplayName("other table sizes: 2 and 7 philosophers")
    void otherSizes() throws InterruptedException {
        for (int n : new int[] {2, 7}) {
            Dinner table = seat.apply(n);
            AtomicIntegerArray eating = new AtomicIntegerArray(n);
            AtomicReference<String> clash = new AtomicReference<>();
            AtomicIntegerArray dines = new AtomicIntegerArray(n);
            AtomicIntegerArray meals = new AtomicIntegerArray(n);
            Races.race(n, p -> {
                long stop = System.nanoTime() + 700_000_000L;
                while (System.nanoTime() < stop) {
                    dines.incrementAndGet(p);
                    table.dine(p, () -> {
                        meals.incrementAndGet(p);
                        eating.set(p, 1);
                        int left = (p + n - 1) % n, right = (p + 1) % n;
                        if (eating.get(left) == 1 || eating.get(right) == 1) {
                            clash.compareAndSet(null, "with " + n + " philosophers, " + p + " ate beside an eating neighbour");
                        }
                        chew(10);
                        eating.set(p, 0);
                    });
                }
            });
            assertNull(clash.get(), clash::get);
            for (int p = 0; p < n; p++) {
                assertTrue(dines.get(p) > 0 && meals.get(p) == dines.get(p), "with " + n + " philosophers, " + p + " called dine "
                        + dines.get(p) + " times and ate " + meals.get(p) + " times: every dine must run eat once");
            }
        }
    }
}
