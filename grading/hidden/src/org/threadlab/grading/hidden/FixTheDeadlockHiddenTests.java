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
import org.threadlab.grading.exercises.Bank;

import java.util.SplittableRandom;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hidden tests of fix-the-deadlock. */
@HiddenTests("fix-the-deadlock")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class FixTheDeadlockHiddenTests {
    private final IntFunction<Bank> open = Exercises.FIX_THE_DEADLOCK.subject();

    @Test
    @Order(1)
    @Points(2)
    @Timeout(10)
    @DisplayName("random transfers among 5 accounts: no deadlock, no overdraft, money kept")
    void randomTransfers() throws InterruptedException {
        Bank bank = open.apply(5);
        long[][] moved = new long[8][5];
        long[] tried = new long[8];
        long[] ok = new long[8];
        Races.race(8, i -> {
            SplittableRandom r = new SplittableRandom(i);
            long stop = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < stop) {
                int from = r.nextInt(5), to = (from + 1 + r.nextInt(4)) % 5;
                long amount = 1 + r.nextInt(50);
                tried[i]++;
                if (bank.transfer(from, to, amount)) {
                    ok[i]++;
                    moved[i][from] -= amount;
                    moved[i][to] += amount;
                }
            }
        });
        long all = java.util.Arrays.stream(tried).sum(), done = java.util.Arrays.stream(ok).sum();
        assertTrue(done >= Math.min(100, all / 4), "only " + done + " of " + all + " transfers returned true: a covered transfer must move the money");
        for (int a = 0; a < 5; a++) {
            long expected = 1000;
            for (long[] m : moved) expected += m[a];
            assertEquals(expected, bank.balance(a), "account " + a + " does not hold what the transfers that returned true left in it");
        }
        long total = 0;
        for (int a = 0; a < 5; a++) {
            assertTrue(bank.balance(a) >= 0, "account " + a + " went below zero: check the balance while holding both locks");
            total += bank.balance(a);
        }
        assertEquals(5000, total, "5 accounts of 1000 should still hold 5000 together, not " + total);
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(5)
    @DisplayName("a transfer from an account to itself changes nothing")
    void toItself() throws InterruptedException {
        Bank bank = open.apply(2);
        bank.transfer(1, 1, 100);
        assertEquals(1000, bank.balance(1), "moving money from account 1 to account 1 should leave it at 1000");
    }
}
