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
import org.threadlab.grading.exercises.IntFactory;
import org.threadlab.grading.exercises.Ladder;
import org.threadlab.grading.exercises.LadderRuns;
import org.threadlab.grading.exercises.SemaphoreLadderTests;
import org.threadlab.interleave.Interleaving;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.fail;
import static org.threadlab.grading.exercises.SemaphoreLadderTests.STUCK_MS;
import static org.threadlab.grading.exercises.SemaphoreLadderTests.made;

/** Hidden tests of semaphore-ladder. */
@HiddenTests("semaphore-ladder")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class SemaphoreLadderHiddenTests {
    private final IntFactory<Ladder> make = Exercises.SEMAPHORE_LADDER.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(150)
    @DisplayName("mutex, 3 threads, under every schedule the engine tries: never two in the critical section, all get in")
    void mutexOfThreeUnderTheEngine() {
        String cls = Explore.className(made(make, 1));
        var m = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        SemaphoreLadderTests.engine("three threads each run their critical section through mutex(...)",
                "interleave(() -> new LadderRuns(" + cls + "::new, 1), LadderRuns::mutexVisit, LadderRuns::mutexVisit, "
                        + "LadderRuns::mutexVisit).firstFailure(s -> s.fewEnough(1, 3))",
                Interleaving.of(() -> new LadderRuns(m, 1), LadderRuns::mutexVisit, LadderRuns::mutexVisit, LadderRuns::mutexVisit),
                s -> s.fewEnough(1, 3), m,
                "a thread leaving the mutex gives back exactly the 1 permit it took (release(), once), so that only one of the "
                        + "waiting threads gets in",
                "a thread never got in: every thread that took the mutex must give it back, once (release in a finally block)");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(30)
    @DisplayName("the mutex is given back when the critical section throws, and its exception comes out of mutex()")
    void mutexGivenBackWhenCriticalThrows() throws InterruptedException {
        Ladder l = made(make, 1);
        AtomicReference<Object> got = new AtomicReference<>();
        IllegalStateException boom = new IllegalStateException("the critical section failed");
        Thread first = Races.daemon("grading-first", () -> {
            try {
                l.mutex(() -> {
                    throw boom;
                });
                got.set("returned");
            } catch (Throwable e) {
                got.set(e);
            }
        });
        first.join(STUCK_MS);
        if (first.isAlive()) {
            first.interrupt();
            fail("mutex() with nobody else around did not return within " + STUCK_MS / 1000 + " s: the mutex starts with 1 permit");
        }
        if (got.get() != boom) {
            fail("the critical section threw IllegalStateException, but mutex() " + (got.get() instanceof Throwable e ? "threw " + e : "returned normally")
                    + ": let the critical section's exception come out of mutex() (try/finally, no catch)");
        }
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread next = Races.daemon("grading-next", () -> {
            try {
                l.mutex(() -> ran.set(true));
            } catch (InterruptedException e) {
                // the test is over
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        next.join(STUCK_MS);
        if (next.isAlive()) {
            next.interrupt();
            fail("after a critical section that threw, the next thread waited in mutex() for " + STUCK_MS / 1000 + " s: the thread "
                    + "that threw kept the mutex; release it in a finally block");
        }
        if (failed.get() != null) fail("mutex() threw " + failed.get());
        if (!ran.get()) fail("mutex() returned without running the critical section");
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(60)
    @DisplayName("a multiplex of 3 on real threads: 3 inside together, a 4th waits until one leaves")
    void multiplexOfThreeOnRealThreads() throws InterruptedException {
        Ladder l = made(make, 3);
        AtomicInteger inside = new AtomicInteger(), most = new AtomicInteger();
        AtomicIntegerArray entered = new AtomicIntegerArray(4);
        CountDownLatch[] leave = new CountDownLatch[4];
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread[] t = new Thread[4];
        try {
            for (int i = 0; i < 4; i++) {
                leave[i] = new CountDownLatch(1);
                int me = i;
                Runnable critical = () -> {
                    entered.set(me, 1);
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    try {
                        leave[me].await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        inside.decrementAndGet();
                    }
                };
                if (i == 3) {
                    // three inside first, then the 4th
                    long end = System.nanoTime() + STUCK_MS * 1_000_000;
                    while (inside.get() < 3 && failed.get() == null && System.nanoTime() < end) Thread.sleep(2);
                    SemaphoreLadderTests.thrown(failed);
                    if (inside.get() < 3) {
                        fail("a multiplex of 3, 3 threads calling it: only " + inside.get() + " got in together within " + STUCK_MS / 1000
                                + " s: start the semaphore with the constructor's number of permits");
                    }
                }
                t[i] = Races.daemon("grading-visitor-" + i, () -> {
                    try {
                        l.multiplex(critical);
                    } catch (InterruptedException e) {
                        // the test is over
                    } catch (Throwable e) {
                        failed.compareAndSet(null, new AssertionError("multiplex threw " + e, e));
                    }
                });
            }
            // until the 4th waits, in multiplex or inside it: never judged before it has run at all, however busy the machine
            // (a spinning multiplex, never seen waiting, is judged after STUCK_MS)
            Gate.waitUntilWaiting(t[3], STUCK_MS);
            SemaphoreLadderTests.thrown(failed);
            if (entered.get(3) == 1) {
                fail("a 4th thread got into a multiplex of 3 while 3 were inside: acquire a permit before the critical section and "
                        + "release it only after (taking a permit and giving it straight back is a turnstile, not a multiplex)");
            }
            leave[0].countDown();
            long end = System.nanoTime() + STUCK_MS * 1_000_000;
            while (entered.get(3) == 0 && failed.get() == null && System.nanoTime() < end) Thread.sleep(2);
            SemaphoreLadderTests.thrown(failed);
            if (entered.get(3) == 0) {
                fail("one of the 3 inside left, but the 4th still waited after " + STUCK_MS / 1000 + " s: give the permit back "
                        + "(release) when the critical section ends");
            }
            for (CountDownLatch c : leave) c.countDown();
            for (Thread x : t) x.join(STUCK_MS);
            SemaphoreLadderTests.thrown(failed);
            if (most.get() > 3) fail(most.get() + " threads were inside a multiplex of 3 at once");
        } finally {
            for (CountDownLatch c : leave) if (c != null) c.countDown();
            for (Thread x : t) if (x != null) x.interrupt();
        }
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(60)
    @DisplayName("a thread waiting in signalB, rendezvousA, mutex or multiplex can be interrupted: it throws InterruptedException")
    void waitsCanBeInterrupted() throws InterruptedException {
        Ladder signal = made(make, 1);
        AtomicBoolean b1 = new AtomicBoolean();
        interrupted("signalB", "A had not signalled", "b1", () -> signal.signalB(() -> b1.set(true)), b1);

        Ladder meet = made(make, 1);
        AtomicBoolean a2 = new AtomicBoolean();
        interrupted("rendezvousA", "B had not arrived", "a2", () -> meet.rendezvousA(() -> {}, () -> a2.set(true)), a2);

        Ladder mutex = made(make, 1);
        AtomicBoolean second = new AtomicBoolean();
        whileHeld("mutex", c -> mutex.mutex(c), () -> interrupted("mutex", "another thread was in the critical section",
                "the critical section", () -> mutex.mutex(() -> second.set(true)), second));

        Ladder full = made(make, 1);
        AtomicBoolean another = new AtomicBoolean();
        whileHeld("multiplex", c -> full.multiplex(c), () -> interrupted("multiplex", "its only permit was taken",
                "the critical section", () -> full.multiplex(() -> another.set(true)), another));
    }

    interface Call {
        void run() throws InterruptedException;
    }

    interface Enter {
        void run(Runnable critical) throws InterruptedException;
    }

    /** Runs {@code then} while a thread is inside {@code enter}'s critical section. */
    private static void whileHeld(String method, Enter enter, Call then) throws InterruptedException {
        CountDownLatch in = new CountDownLatch(1), leave = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread holder = Races.daemon("grading-holder", () -> {
            try {
                enter.run(() -> {
                    in.countDown();
                    try {
                        leave.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (InterruptedException e) {
                // the test is over
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        try {
            if (!in.await(STUCK_MS, TimeUnit.MILLISECONDS)) {
                if (failed.get() != null) fail(method + " threw " + failed.get());
                fail("the first thread to call " + method + " did not get in within " + STUCK_MS / 1000 + " s (1 permit)");
            }
            then.run();
        } finally {
            leave.countDown();
            holder.join(STUCK_MS);
            holder.interrupt();
        }
    }

    /**
     * Calls {@code call} on a new thread, sees it waiting, interrupts it: it must throw
     * InterruptedException without having run {@code step}.
     */
    private static void interrupted(String method, String waitsFor, String step, Call call, AtomicBoolean stepRan) throws InterruptedException {
        AtomicReference<Object> got = new AtomicReference<>();
        Thread waiter = Races.daemon("grading-waiter", () -> {
            try {
                call.run();
                got.set("returned");
            } catch (Throwable e) {
                got.set(e);
            }
        });
        try {
            // until it waits in the call, or has returned: never judged before it has run at all, however busy the machine
            // (a spinning wait, never seen waiting, is judged after STUCK_MS)
            Gate.waitUntilWaiting(waiter, STUCK_MS);
            Object early = got.get();
            if (early instanceof Throwable e) fail(method + " threw " + e + " while " + waitsFor);
            if (early != null || stepRan.get()) {
                fail(method + " ran " + step + " while " + waitsFor + ": it must wait there (acquire) first");
            }
            waiter.interrupt();
            waiter.join(STUCK_MS);
            if (waiter.isAlive()) {
                fail(method + " kept waiting after its thread was interrupted: wait with acquire(), which throws InterruptedException, "
                        + "and let it propagate (not acquireUninterruptibly(), no busy loop)");
            }
            if (!(got.get() instanceof InterruptedException)) {
                fail("an interrupted " + method + " should throw InterruptedException, but it "
                        + (got.get() instanceof Throwable e ? "threw " + e : "returned"));
            }
            if (stepRan.get()) fail(method + " ran " + step + " after its wait was interrupted: let the InterruptedException out at once");
        } finally {
            waiter.interrupt();
        }
    }
}
