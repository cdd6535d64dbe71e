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
import org.threadlab.grading.exercises.ArraySum;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hidden tests of parallel-sum. */
@HiddenTests("parallel-sum")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ParallelSumHiddenTests {
    private final ArraySum sum = Exercises.PARALLEL_SUM.subject();

    private static long[] random(SplittableRandom r, int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = r.nextLong();
        return a;
    }

    @Test
    @Order(1)
    @Points(1)
    @Timeout(10)
    @DisplayName("odd sizes, overflowing values")
    void oddSizes() {
        SplittableRandom r = new SplittableRandom(99);
        for (int round = 0; round < 40; round++) {
            int n = r.nextInt(1, 5000);
            int threads = r.nextInt(1, 12);
            long[] a = random(r, n);
            long expected = 0;
            for (long v : a) expected += v;
            assertEquals(expected, sum.sum(a, threads), "wrong sum of " + n + " numbers with " + threads + " threads");
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(15)
    @DisplayName("several callers at once get their own sums")
    void concurrentCallers() throws InterruptedException {
        Races.race(4, i -> {
            SplittableRandom r = new SplittableRandom(i);
            for (int round = 0; round < 30; round++) {
                long[] a = random(r, 20_000 + r.nextInt(1000));
                long expected = 0;
                for (long v : a) expected += v;
                long got = sum.sum(a, 2);
                if (got != expected) {
                    throw new AssertionError("4 threads called your sum at the same time and one got " + got + " instead of "
                            + expected + ": keep the partial sums local to each call (no static fields)");
                }
            }
        });
    }
}
