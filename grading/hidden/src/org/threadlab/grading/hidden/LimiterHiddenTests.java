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
import org.threadlab.grading.exercises.IntFactory;
import org.threadlab.grading.exercises.Limiter;
import org.threadlab.grading.exercises.Scenarios;
import org.threadlab.interleave.Interleaving;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hidden tests of limiter. */
@HiddenTests("limiter")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class LimiterHiddenTests {
    private final IntFactory<Limiter> make = Exercises.LIMITER.subject();

    @Test
    @Order(1)
    @Points(2)
    @Timeout(120)
    @DisplayName("2 permits, 3 threads: never 3 inside, under every schedule the engine tries")
    void engineTwoPermits() {
        var made = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("three threads run work through a limiter of 2 permits",
                "interleave(() -> new Scenarios.Permits(YourLimiter::new, 2), Scenarios.Permits::enter, Scenarios.Permits::enter, "
                        + "Scenarios.Permits::enter).firstFailure(s -> s.ok(3))",
                Interleaving.of(() -> new Scenarios.Permits(made, 2), Scenarios.Permits::enter, Scenarios.Permits::enter, Scenarios.Permits::enter),
                s -> s.ok(3), made);
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(10)
    @DisplayName("a waiting thread can be interrupted")
    void interruptible() throws InterruptedException {
        Limiter l = make.apply(1);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Races.daemon("grading-holder", () -> {
            try {
                l.run(() -> {
                    inside.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (InterruptedException e) {
                // not expected
            }
        });
        inside.await();
        AtomicReference<Object> got = new AtomicReference<>();
        Thread waiter = Races.daemon("grading-waiter", () -> {
            try {
                l.run(() -> got.set("ran"));
                got.compareAndSet(null, "returned");
            } catch (Throwable e) {
                got.set(e);
            }
        });
        Gate.waitUntilWaiting(waiter, 2_000);
        waiter.interrupt();
        waiter.join(2_000);
        release.countDown();
        holder.join(2_000);
        assertTrue(got.get() instanceof InterruptedException, "a thread waiting in run was interrupted and should throw "
                + "InterruptedException without running the work, but it " + (got.get() == null ? "kept waiting" : "gave " + got.get()));
    }
}
