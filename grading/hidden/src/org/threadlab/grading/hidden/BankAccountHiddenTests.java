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
import org.threadlab.grading.exercises.Account;
import org.threadlab.grading.exercises.LongFactory;
import org.threadlab.grading.exercises.Scenarios;
import org.threadlab.grading.Explore;
import org.threadlab.interleave.Interleaving;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hidden tests of bank-account: only the grader has them. */
@HiddenTests("bank-account")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class BankAccountHiddenTests {
    static volatile int sink;

    private final LongFactory<Account> open = Exercises.BANK_ACCOUNT.subject();

    @Test
    @Order(1)
    @Points(2)
    @Timeout(10)
    @DisplayName("opposite transfers between two accounts do not deadlock")
    void oppositeTransfers() throws InterruptedException {
        Account a = open.apply(1_000_000);
        Account b = open.apply(1_000_000);
        AtomicLong refused = new AtomicLong();
        Races.race(8, i -> {
            Account from = i % 2 == 0 ? a : b;
            Account to = i % 2 == 0 ? b : a;
            for (int k = 0; k < 100_000; k++) {
                if (!from.transfer(to, 1)) refused.incrementAndGet();
                sink = k;
            }
        });
        assertEquals(0, refused.get(), refused.get() + " transfers of 1 from an account holding at least 600000 were refused: "
                + "a covered transfer must succeed");
        assertEquals(2_000_000, a.balance() + b.balance(),
                "after transfers both ways between two accounts the total should still be 2000000");
        assertEquals(1_000_000, a.balance(), "400000 transfers of 1 each way leave both accounts at 1000000, but one holds " + a.balance());
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(120)
    @DisplayName("concurrent withdrawals never overdraw")
    void noOverdraft() {
        // under the schedule engine: two withdrawals of 80 from 100, one must be refused on every interleaving
        var made = open;
        Explore.noFailure("two threads each withdraw 80 from an account of 100",
                "interleave(() -> new Scenarios.Transfers(" + Explore.className(open.apply(0)) + "::new), Scenarios.Transfers::withdrawA, "
                        + "Scenarios.Transfers::withdrawA).firstFailure(s -> s.a.balance() == 20)",
                Interleaving.of(() -> new Scenarios.Transfers(made), Scenarios.Transfers::withdrawA, Scenarios.Transfers::withdrawA),
                s -> s.a.balance() == 20, made);
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(10)
    @DisplayName("deposits race with transfers")
    void depositsAndTransfers() throws InterruptedException {
        Account a = open.apply(0);
        Account b = open.apply(0);
        Races.race(6, i -> {
            for (int k = 0; k < 20_000; k++) {
                if (i < 2) a.deposit(2);
                else if (i < 4) a.transfer(b, 1);
                else b.transfer(a, 1);
                sink = k;
            }
        });
        assertEquals(80_000, a.balance() + b.balance(), "2 threads deposited 80000 in total while 4 threads moved money between "
                + "the two accounts; the accounts hold " + (a.balance() + b.balance()) + ": deposit and transfer must use the same lock");
        // and a covered transfer afterwards moves the money (a transfer that never does anything keeps totals too)
        Account rich = a.balance() >= b.balance() ? a : b;
        Account other = rich == a ? b : a;
        long before = rich.balance();
        assertTrue(rich.transfer(other, 1), "transfer(1) from an account holding " + before + " should succeed");
        assertEquals(before - 1, rich.balance(), "a transfer that returned true must take the money from the sender");
    }
}
