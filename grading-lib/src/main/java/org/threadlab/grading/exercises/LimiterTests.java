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

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Visible tests of limiter. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class LimiterTests {
    private final IntFactory<Limiter> make = Exercises.LIMITER.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(10)
    @DisplayName("the place is given back, also when the work throws")
    void givesBack() throws InterruptedException {
        Limiter l = make.apply(1);
        AtomicInteger ran = new AtomicInteger();
        l.run(ran::incrementAndGet);
        try {
            l.run(() -> {
                throw new IllegalStateException("work failed");
            });
            fail("the work threw IllegalStateException, but run returned normally: let the work's exception come out of run");
        } catch (IllegalStateException expected) {
            // as it should
        }
        Thread again = Races.daemon("grading-again", () -> {
            try {
                l.run(ran::incrementAndGet);
            } catch (InterruptedException e) {
                // stopped below
            }
        });
        again.join(3_000);
        assertTrue(!again.isAlive(), "after a work that threw, the next run waited forever: give the place back in a finally block");
        assertEquals(2, ran.get(), "run should run the work each time");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(15)
    @DisplayName("3 permits: 3 threads inside at once, a 4th and 5th wait")
    void threeAtOnce() throws InterruptedException {
        Limiter l = make.apply(3);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread[] ts = new Thread[5];
        for (int i = 0; i < 5; i++) {
            ts[i] = Races.daemon("grading-user-" + i, () -> {
                try {
                    l.run(() -> {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        inside.decrementAndGet();
                    });
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            });
        }
        // wait until 3 are inside and the other 2 wait in run (blocked or waiting, not inside)
        // (a limiter whose waiters spin never shows them waiting: 1 s with 3 inside is enough then)
        long end = System.nanoTime() + 8_000_000_000L;
        long threeSince = 0;
        while (System.nanoTime() < end && (inside.get() < 3 || waiting(ts) < 2) && inside.get() <= 3) {
            if (inside.get() < 3) threeSince = 0;
            else if (threeSince == 0) threeSince = System.nanoTime();
            else if (System.nanoTime() - threeSince > 1_000_000_000L) break;
            if (java.util.Arrays.stream(ts).noneMatch(Thread::isAlive)) break;   // all returned: nobody is inside or waiting any more
            Thread.sleep(5);
        }
        int in = inside.get();
        release.countDown();
        for (Thread t : ts) t.join(5_000);
        if (failed.get() != null) fail("run threw " + failed.get());
        assertTrue(most.get() <= 3, most.get() + " threads were inside at once with 3 permits: a thread must wait in run while 3 are inside");
        assertEquals(3, in, "with 3 permits and 5 threads, 3 should be inside at once, but " + in + " were");
    }

    private static int waiting(Thread[] ts) {
        int n = 0;
        for (Thread t : ts) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.BLOCKED || s == Thread.State.TIMED_WAITING) n++;
        }
        return n - 3 < 0 ? 0 : n - 3;   // the 3 inside wait on the release latch
    }

    @Test
    @Order(3)
    @Points(3)
    @Timeout(120)
    @DisplayName("1 permit, 2 threads: never both inside, under every schedule the engine tries")
    void engineOnePermit() {
        String cls = Explore.className(make.apply(1));
        var made = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("two threads run work through a limiter of 1 permit",
                "interleave(() -> new Scenarios.Permits(" + cls + "::new, 1), Scenarios.Permits::enter, Scenarios.Permits::enter)"
                        + ".firstFailure(s -> s.ok(2))",
                Interleaving.of(() -> new Scenarios.Permits(made, 1), Scenarios.Permits::enter, Scenarios.Permits::enter),
                s -> s.ok(2), made);
    }
}
