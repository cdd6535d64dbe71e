package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Explore;
import org.threadlab.grading.Gate;
import org.threadlab.grading.Points;
import org.threadlab.grading.Races;
import org.threadlab.interleave.Interleaving;
import org.threadlab.interleave.Turns;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Visible tests of readers-writers. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ReadersWritersTests {
    private final Make<RwLock> make = Exercises.READERS_WRITERS.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(10)
    @DisplayName("one thread: read, write, read again")
    void oneThread() throws InterruptedException {
        RwLock l = make.get();
        for (int i = 0; i < 2; i++) {
            l.lockRead();
            l.unlockRead();
            l.lockWrite();
            l.unlockWrite();
        }
        l.lockRead();
        l.lockRead();   // a thread may hold two read holds, as two readers would
        l.unlockRead();
        l.unlockRead();
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(20)
    @DisplayName("three readers are inside at once (they meet at a latch)")
    void readersShare() throws InterruptedException {
        RwLock l = make.get();
        CountDownLatch inside = new CountDownLatch(3);
        AtomicBoolean met = new AtomicBoolean(true);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread[] ts = new Thread[3];
        for (int i = 0; i < 3; i++) {
            ts[i] = Races.daemon("grading-reader-" + i, () -> {
                try {
                    l.lockRead();
                    try {
                        inside.countDown();
                        // each stays inside until all three are: a lock that lets one reader in at a time never gets there
                        if (!inside.await(5, TimeUnit.SECONDS)) met.set(false);
                    } finally {
                        l.unlockRead();
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            });
        }
        for (Thread t : ts) t.join(15_000);
        if (failed.get() != null) fail("a reader threw " + failed.get());
        assertTrue(met.get() && inside.getCount() == 0, "three readers each took the read lock and waited inside for the others, but only "
                + (3 - inside.getCount()) + " got in together: readers must share the lock (count the readers inside; wait only for a writer)");
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(20)
    @DisplayName("a writer waits while a reader is inside, and gets in once it leaves")
    void writerWaitsForReader() throws InterruptedException {
        RwLock l = make.get();
        l.lockRead();
        AtomicBoolean in = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread writer = Races.daemon("grading-writer", () -> {
            try {
                l.lockWrite();
                in.set(true);
                l.unlockWrite();
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        // a right lockWrite waits (blocked, or still spinning after 3 s); a wrong one returns
        boolean waits = Gate.waitUntilWaiting(writer, 3_000) || writer.isAlive();
        if (failed.get() != null) fail("lockWrite() threw " + failed.get() + " instead of waiting for the reader to leave");
        assertTrue(waits && !in.get(), "a writer got the lock while a reader held it: lockWrite must wait until no reader and no writer is inside");
        l.unlockRead();
        writer.join(5_000);
        assertTrue(in.get(), "the reader left (unlockRead), but the waiting writer never got in: the last reader out must wake waiting writers");
    }

    @Test
    @Order(4)
    @Points(2)
    @Timeout(120)
    @DisplayName("a writer is never inside with anyone, under every schedule the engine tries")
    void engineExclusion() {
        String cls = Explore.className(make.get());
        var made = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("a writer writes twice while a reader reads",
                "interleave(() -> new RwScenarios.Room(" + cls + "::new), RwScenarios.Room::writeTwice, RwScenarios.Room::read)"
                        + ".firstFailure(s -> s.ok(1, 2))",
                Interleaving.of(() -> new RwScenarios.Room(made), RwScenarios.Room::writeTwice, RwScenarios.Room::read),
                s -> s.ok(1, 2), made);
    }

    @Test
    @Order(5)
    @Points(2)
    @Timeout(60)
    @DisplayName("a waiting writer keeps new readers out (a chosen schedule: a reader reads, a writer asks, new readers come)")
    void writerNotStarved() {
        String cls = Explore.className(make.get());
        Turns.Result r = RwScenarios.readersKeepComing(make.get());
        String replay = "\nReplay it in your notebook: RwScenarios.readersKeepComing(new " + cls + "())\n" + r;
        if (r.returnedBeforeStep(2, 4)) fail("a writer got the lock while a reader held it (W's lockWrite returned before R1's unlockRead)." + replay);
        assertTrue(!r.returnedBefore(3, 2) && !r.returnedBefore(5, 2), "a writer waited in lockWrite while new readers "
                + "(R2, R3) got in, one after another: with readers coming all the time, the writer could wait for ever. Once a "
                + "writer waits, new readers must wait behind it (count the waiting writers, and let readers in only when none waits)."
                + replay);
        assertTrue(r.returned(2), "the writer never got in, although the only reader left before the new ones came: " + replay);
    }

    @Test
    @Order(6)
    @Points(2)
    @Timeout(60)
    @DisplayName("when a writer leaves, a waiting reader or writer gets in: no lost wake-up (chosen schedules, both orders of waiting)")
    void noLostWakeUp() {
        String cls = Explore.className(make.get());
        for (boolean readerFirst : new boolean[]{true, false}) {
            Turns.Result r = RwScenarios.writerLeaves(make.get(), readerFirst);
            assertTrue(r.returned(1) && r.returned(4), "the first writer could not lock and unlock: " + r);
            assertTrue(r.returned(2) || r.returned(3), "a writer left while " + (readerFirst ? "a reader, then a writer" : "a writer, then a reader")
                    + " waited, and nobody got in: both still wait although the lock is free. A wake-up was lost: notify() wakes ONE "
                    + "waiting thread, chosen by the JVM; when it wakes one that may not go on, that one waits again and nobody else "
                    + "is woken. Use notifyAll() (or a Condition per kind of waiter, and signal the right one)."
                    + "\nReplay it in your notebook: RwScenarios.writerLeaves(new " + cls + "(), " + readerFirst + ")\n" + r);
        }
    }
}
