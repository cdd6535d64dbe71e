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
import org.threadlab.grading.Explore;
import org.threadlab.grading.Gate;
import org.threadlab.grading.Races;
import org.threadlab.grading.exercises.FairLock;
import org.threadlab.grading.exercises.Make;
import org.threadlab.grading.exercises.Scenarios;
import org.threadlab.interleave.Interleaving;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hidden tests of ticket-lock. */
@HiddenTests("ticket-lock")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class TicketLockHiddenTests {
    private final Make<FairLock> make = Exercises.TICKET_LOCK.subject();

    @Test
    @Order(1)
    @Points(2)
    @Timeout(120)
    @DisplayName("3 threads never inside together, under every schedule the engine tries")
    void engineThree() {
        var made = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("three threads add 1 to a counter under the lock",
                "interleave(() -> new Scenarios.Tickets(YourLock::new), Scenarios.Tickets::inc, Scenarios.Tickets::inc, "
                        + "Scenarios.Tickets::inc).firstFailure(s -> s.n == 3)",
                Interleaving.of(() -> new Scenarios.Tickets(made), Scenarios.Tickets::inc, Scenarios.Tickets::inc, Scenarios.Tickets::inc),
                s -> s.n == 3, made);
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(20)
    @DisplayName("three waiting threads get the lock in the order they asked")
    void inOrder() throws InterruptedException {
        FairLock l = make.get();
        l.lock();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        Thread[] ts = new Thread[3];
        for (int i = 0; i < 3; i++) {
            int me = i;
            ts[i] = Races.daemon("grading-waiter-" + i, () -> {
                try {
                    l.lock();
                    order.add(me);
                    l.unlock();
                } catch (InterruptedException e) {
                    // stopped
                }
            });
            Gate.waitUntilWaiting(ts[i], 1_000);   // the next one asks only once this one waits
        }
        assertEquals(List.of(), order, "threads got the lock while another thread held it");
        l.unlock();
        for (Thread t : ts) t.join(3_000);
        assertEquals(List.of(0, 1, 2), order, "threads 0, 1 and 2 asked for the lock in that order, and got it in the order " + order);
    }
}
