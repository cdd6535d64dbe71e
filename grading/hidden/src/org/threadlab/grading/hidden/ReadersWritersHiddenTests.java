package org.threadlab.grading.hidden;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Explore;
import org.threadlab.grading.HiddenTests;
import org.threadlab.grading.Points;
import org.threadlab.grading.Races;
import org.threadlab.grading.exercises.Make;
import org.threadlab.grading.exercises.RwLock;
import org.threadlab.grading.exercises.RwScenarios;
import org.threadlab.interleave.Interleaving;
import org.threadlab.interleave.Turns;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hidden tests of readers-writers. */
@HiddenTests("readers-writers")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ReadersWritersHiddenTests {
    private final Make<RwLock> make = Exercises.READERS_WRITERS.subject();

    @Test
    @Order(1)
    @Points(2)
    @Timeout(60)
    @DisplayName("two readers waiting for a writer both get in when it leaves (a chosen schedule)")
    void waitingReadersAllGetIn() {
        Turns.Result r = RwScenarios.readersWaitForWriter(make.get());
        assertTrue(r.returned(1) && r.returned(4), "the writer could not lock and unlock: " + r);
        assertTrue(!r.returnedBeforeStep(2, 4) && !r.returnedBeforeStep(3, 4), "a reader got in while the writer held the lock: " + r);
        assertTrue(r.returned(2) && r.returned(3), "two readers waited for a writer; it left, and only "
                + ((r.returned(2) ? 1 : 0) + (r.returned(3) ? 1 : 0)) + " of them got in, although readers share the lock: "
                + "the other was never woken (notify() wakes one waiter; a leaving writer must wake them all)\n" + r);
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(120)
    @DisplayName("a writer, a reader and another writer: no deadlock, no lost wake-up, under every schedule the engine tries")
    void engineThree() {
        var made = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("two writers write once each while a reader reads",
                "interleave(() -> new RwScenarios.Room(YourLock::new), RwScenarios.Room::write, RwScenarios.Room::read, "
                        + "RwScenarios.Room::write).firstFailure(s -> s.ok(1, 2))",
                Interleaving.of(() -> new RwScenarios.Room(made), RwScenarios.Room::write, RwScenarios.Room::read, RwScenarios.Room::write),
                s -> s.ok(1, 2), made);
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(60)
    @DisplayName("a writer interrupted while it waits leaves nothing behind: the reader it held back gets in (a chosen schedule)")
    void interruptedWriter() {
        Turns.Result r = RwScenarios.writerGivesUp(make.get());
        String end = r.calls().get(1).end();
        assertTrue(end.contains("InterruptedException"), "a writer waiting in lockWrite was interrupted: lockWrite should throw "
                + "InterruptedException (wait(), await() and acquire() throw it; let it out), but it " + end + "\n" + r);
        assertTrue(r.returned(3), "a writer waiting in lockWrite was interrupted and gave up, but the reader waiting behind it "
                + "(R2, while R1 was still reading) never got in: the writer left its mark (a waiting-writer count not taken back, "
                + "a permit kept), or nobody woke the readers it held back. Undo what lockWrite did when the wait throws, and wake "
                + "the waiting threads.\n" + r);
    }

    @Test
    @Order(4)
    @Points(2)
    @Timeout(30)
    @DisplayName("4 readers and 2 writers on real threads: writers alone, every call returns")
    void manyThreads() throws InterruptedException {
        RwLock l = make.get();
        AtomicInteger readers = new AtomicInteger();
        AtomicInteger writers = new AtomicInteger();
        AtomicInteger broken = new AtomicInteger();
        AtomicLong reads = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        int each = 3_000;
        Races.race(6, i -> {
            for (int k = 0; k < each; k++) {
                if (i < 2) {
                    l.lockWrite();
                    try {
                        if (writers.incrementAndGet() > 1 || readers.get() > 0) broken.incrementAndGet();
                        writes.incrementAndGet();
                        writers.decrementAndGet();
                    } finally {
                        l.unlockWrite();
                    }
                } else {
                    l.lockRead();
                    try {
                        readers.incrementAndGet();
                        if (writers.get() > 0) broken.incrementAndGet();
                        reads.incrementAndGet();
                        readers.decrementAndGet();
                    } finally {
                        l.unlockRead();
                    }
                }
            }
        });
        assertEquals(0, broken.get(), "a writer was inside with another thread " + broken.get() + " times");
        assertEquals(2L * each, writes.get(), "not every write happened");
        assertEquals(4L * each, reads.get(), "not every read happened");
    }
}
