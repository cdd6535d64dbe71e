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
import org.threadlab.grading.Races;
import org.threadlab.interleave.Interleaving;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Visible tests of bank-account: students see these, and check(BANK_ACCOUNT, ...) runs them. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class BankAccountTests {
    /** Read in every method test so a racing read in a loop cannot be merged by the JIT into one add. */
    static volatile int sink;

    private final LongFactory<Account> open = Exercises.BANK_ACCOUNT.subject();

    private String replay(String bodies, String check) {
        return "interleave(() -> new Scenarios.Transfers(" + Explore.className(open.apply(0)) + "::new), " + bodies + ").firstFailure(" + check + ")";
    }

    @Test
    @Order(1)
    @Points(1)
    @Timeout(5)
    @DisplayName("deposit, withdraw, transfer on one thread")
    void oneThread() {
        Account a = open.apply(100);
        assertEquals(100, a.balance(), "an account opened with 100 should have balance 100");
        a.deposit(50);
        assertEquals(150, a.balance(), "after deposit(50) on 100 the balance should be 150");
        assertTrue(a.withdraw(30), "withdraw(30) from 150 should succeed (return true)");
        assertEquals(120, a.balance(), "after withdraw(30) on 150 the balance should be 120");
        assertFalse(a.withdraw(1000), "withdraw(1000) from 120 should be refused (return false)");
        assertEquals(120, a.balance(), "a refused withdraw must not change the balance");
        Account b = open.apply(0);
        assertTrue(a.transfer(b, 20), "transfer(b, 20) from 120 should succeed");
        assertEquals(100, a.balance(), "after transferring 20 away from 120, 100 should be left");
        assertEquals(20, b.balance(), "the account that received 20 should hold 20");
        assertFalse(a.transfer(b, 500), "transfer(b, 500) from 100 should be refused (return false)");
        assertEquals(100, a.balance(), "a refused transfer must not change the sender's balance");
        assertEquals(20, b.balance(), "a refused transfer must not change the receiver's balance");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(120)
    @DisplayName("concurrent deposits are never lost")
    void concurrentDeposits() {
        // under the schedule engine: it switches threads between deposit's read and write itself, so a
        // deposit that is not atomic fails on every run, whatever the machine's load
        var made = open;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("two threads each deposit 10 into an account of 100",
                replay("Scenarios.Transfers::depositA, Scenarios.Transfers::depositA", "s -> s.a.balance() == 120"),
                Interleaving.of(() -> new Scenarios.Transfers(made), Scenarios.Transfers::depositA, Scenarios.Transfers::depositA),
                s -> s.a.balance() == 120, made);
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(120)
    @DisplayName("opposite transfers: no deadlock, no money lost, under every schedule the engine tries")
    void oppositeTransfersUnderTheEngine() throws InterruptedException {
        // the engine lets one thread finish alone in every interleaving, so it cannot see two retry loops kept in step for ever:
        // that livelock is forced on real threads first
        Livelock.judge(Livelock.find(open));
        var made = open;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("a transfers 30 to b while b transfers 20 to a (both hold 100)",
                replay("Scenarios.Transfers::aToB, Scenarios.Transfers::bToA", "s -> s.a.balance() == 90 && s.b.balance() == 110"),
                Interleaving.of(() -> new Scenarios.Transfers(made), Scenarios.Transfers::aToB, Scenarios.Transfers::bToA),
                s -> s.a.balance() == 90 && s.b.balance() == 110, made);
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(10)
    @DisplayName("concurrent transfers keep the total and never deadlock")
    void concurrentTransfers() throws InterruptedException {
        // a race shows up in most rounds on an idle machine, but on a busy one the threads mostly take
        // turns on one core and a round can pass by luck: keep racing for 3 s before believing it
        long end = System.nanoTime() + 3_000_000_000L;
        for (int round = 0; round < 40 && (round < 3 || System.nanoTime() < end); round++) {
            transferRound();
        }
    }

    private void transferRound() throws InterruptedException {
        int n = 4;
        Account[] accounts = new Account[n];
        for (int i = 0; i < n; i++) accounts[i] = open.apply(1000);
        int threads = 8;
        long[] made = new long[threads];
        long[] succeeded = new long[threads];
        // what each thread's successful transfers moved, by account: where the money must be at the end
        long[][] moved = new long[threads][n];
        Races.race(threads, i -> {
            SplittableRandom r = new SplittableRandom(i);
            long k = 0, ok = 0, stop = System.nanoTime() + 40_000_000L;   // a stretch of time: see concurrentDeposits
            do {
                int from = r.nextInt(n);
                int to = (from + 1 + r.nextInt(n - 1)) % n;
                long amount = 1 + r.nextInt(40);
                if (accounts[from].transfer(accounts[to], amount)) {
                    moved[i][from] -= amount;
                    moved[i][to] += amount;
                    ok++;
                }
                sink = (int) ++k;
            } while ((k & 255) != 0 || System.nanoTime() < stop);
            made[i] = k;
            succeeded[i] = ok;
        });
        long tried = java.util.Arrays.stream(made).sum();
        long ok = java.util.Arrays.stream(succeeded).sum();
        // a drained account refuses for a while, so not every transfer succeeds, but a thread's stretch makes hundreds
        assertTrue(ok >= Math.min(100, tried / 4), "only " + ok + " of " + tried + " transfers of 1 to 40 between accounts of about 1000 "
                + "returned true: transfer must move the money (and return true) when the balance covers it");
        long each = java.util.Arrays.stream(made).sum() / threads;
        long total = 0;
        StringBuilder balances = new StringBuilder();
        for (Account a : accounts) {
            total += a.balance();
            balances.append(balances.isEmpty() ? "" : ", ").append(a.balance());
            if (a.balance() < 0) {
                fail("an account went below zero (" + balances + "...): transfer must check the balance and take the money "
                        + "while holding the same lock(s), or two transfers can both pass the check.");
            }
        }
        for (int a = 0; a < n; a++) {
            long expected = 1000;
            for (long[] m : moved) expected += m[a];
            long want = expected, got = accounts[a].balance();
            int which = a;
            assertEquals(want, got, () -> "account " + which + " holds " + got + " but the transfers that returned true leave it " + want
                    + ": a transfer that returns true must have moved exactly that money, one that returns false nothing.");
        }
        long finalTotal = total;
        assertEquals(n * 1000L, total, () -> threads + " threads made " + (threads * each) + " transfers between " + n
                + " accounts of 1000 each: the total should stay " + (n * 1000) + " but is " + finalTotal + " (" + balances
                + "). Money was " + (finalTotal < n * 1000L ? "lost" : "created") + ": transfer must lock both accounts while it moves the money.");
    }
}
