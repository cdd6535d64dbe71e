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

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Visible tests of ticket-lock. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class TicketLockTests {
    private final Make<FairLock> make = Exercises.TICKET_LOCK.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(10)
    @DisplayName("lock, unlock, lock again on one thread")
    void oneThread() throws InterruptedException {
        FairLock l = make.get();
        for (int i = 0; i < 3; i++) {
            l.lock();
            l.unlock();
        }
    }

    @Test
    @Order(2)
    @Points(3)
    @Timeout(120)
    @DisplayName("2 threads never inside together, under every schedule the engine tries")
    void engineMutualExclusion() {
        String cls = Explore.className(make.get());
        var made = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("two threads add 1 to a counter under the lock",
                "interleave(() -> new Scenarios.Tickets(" + cls + "::new), Scenarios.Tickets::inc, Scenarios.Tickets::inc).firstFailure(s -> s.n == 2)",
                Interleaving.of(() -> new Scenarios.Tickets(made), Scenarios.Tickets::inc, Scenarios.Tickets::inc), s -> s.n == 2, made);
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(30)
    @DisplayName("a thread that unlocks and locks again goes behind the one waiting")
    void noBarging() throws InterruptedException {
        // 20 rounds: an unfair lock lets the releasing thread take the lock straight back nearly every time;
        // a fair one never does, so this cannot fail a right answer
        for (int round = 0; round < 20; round++) {
            FairLock l = make.get();
            l.lock();
            AtomicBoolean hadTurn = new AtomicBoolean();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread waiter = Races.daemon("grading-waiter", () -> {
                try {
                    l.lock();
                    hadTurn.set(true);
                    l.unlock();
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            // the waiter has asked and waits (a spinning lock never reports waiting: give it 1 s)
            Gate.waitUntilWaiting(waiter, 1_000);
            if (hadTurn.get()) fail("a second thread got the lock while the first one held it: lock() must wait until unlock()");
            l.unlock();
            l.lock();
            boolean fair = hadTurn.get();
            l.unlock();
            waiter.join(3_000);
            if (failed.get() != null) fail("the waiting thread's lock() threw " + failed.get());
            assertTrue(!waiter.isAlive(), "a thread waiting in lock() never got the lock after it was unlocked twice");
            assertTrue(fair, "round " + (round + 1) + ": a thread waited in lock(), the holder unlocked and called lock() again, "
                    + "and got the lock back before the waiting thread had its turn. Serve threads in the order they asked "
                    + "(a ticket: take a number, wait until it is served).");
        }
    }
}
