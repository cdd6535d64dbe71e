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
import org.threadlab.grading.exercises.Barrier;
import org.threadlab.grading.exercises.BarrierRounds;
import org.threadlab.grading.exercises.IntFactory;
import org.threadlab.grading.exercises.ReusableBarrierTests;
import org.threadlab.interleave.Interleaving;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Hidden tests of reusable-barrier. */
@HiddenTests("reusable-barrier")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ReusableBarrierHiddenTests {
    private final IntFactory<Barrier> make = Exercises.REUSABLE_BARRIER.subject();

    @Test
    @Order(1)
    @Points(2)
    @Timeout(150)
    @DisplayName("3 threads, 2 rounds, under every schedule the engine tries: nobody passes a round early, nobody waits forever")
    void threeThreadsUnderTheEngine() {
        String cls = Explore.className(ReusableBarrierTests.made(make, 3));
        var m = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("three threads meet at the barrier twice (each arrives, calls await(), and on its way out checks that the "
                        + "others had arrived at this round)",
                "interleave(() -> new BarrierRounds(" + cls + "::new, 3, 2), BarrierRounds::a, BarrierRounds::b, BarrierRounds::c)"
                        + ".firstFailure(s -> s.ok())",
                Interleaving.of(() -> new BarrierRounds(m, 3, 2), BarrierRounds::a, BarrierRounds::b, BarrierRounds::c), s -> s.ok(), m);
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(120)
    @DisplayName("5 threads, 5 rounds, a different thread last each round: nobody passes before it arrives")
    void fiveThreadsForcedRounds() throws InterruptedException {
        ReusableBarrierTests.forcedRounds(make, 5, 5);
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(30)
    @DisplayName("a barrier for 1 thread lets it through at once, round after round")
    void onePartyNeverWaits() throws InterruptedException {
        Barrier b = ReusableBarrierTests.made(make, 1);
        AtomicReference<Object> done = new AtomicReference<>();
        Thread t = Races.daemon("grading-party", () -> {
            try {
                for (int r = 0; r < 5; r++) b.await();
                done.set("done");
            } catch (Throwable e) {
                done.set(e);
            }
        });
        t.join(ReusableBarrierTests.STUCK_MS);
        if (done.get() instanceof Throwable e) fail("await() on a barrier for 1 thread threw " + e);
        assertTrue(done.get() != null, "a barrier for 1 thread: its only thread is its last to arrive, so await() must return at once, "
                + "every round; it was still waiting after " + ReusableBarrierTests.STUCK_MS / 1000 + " s in 5 rounds");
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(30)
    @DisplayName("a waiting await() can be interrupted")
    void interruptibleAwait() throws InterruptedException {
        Barrier b = ReusableBarrierTests.made(make, 2);
        AtomicReference<Object> got = new AtomicReference<>();
        Thread waiter = Races.daemon("grading-party", () -> {
            try {
                b.await();
                got.set("returned");
            } catch (Throwable e) {
                got.set(e);
            }
        });
        // it waits for a second party that never comes (a spinning await is given 1 s)
        if (!Gate.waitUntilWaiting(waiter, 1_000)) Thread.sleep(50);
        if (got.get() != null) fail("await() of the only thread to arrive, of 2, " + (got.get() instanceof Throwable e ? "threw " + e : "returned")
                + " instead of waiting for the second");
        waiter.interrupt();
        waiter.join(5_000);
        assertTrue(!waiter.isAlive(), "await() kept waiting after its thread was interrupted: wait with acquire() or await() on a "
                + "condition, which throw InterruptedException, and let it propagate (not acquireUninterruptibly(), no busy loop)");
        assertTrue(got.get() instanceof InterruptedException, "an interrupted await() should throw InterruptedException, but it "
                + (got.get() instanceof Throwable ? "threw " + got.get() : "returned"));
    }
}
