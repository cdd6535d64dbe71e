package org.threadlab.grading;

import org.junit.jupiter.api.Test;
import org.threadlab.grading.exercises.RwLock;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readers-writers tests tell right from wrong: a monitor with a count of waiting writers gets
 * every point; the same with notify() loses the wake-up tests (a chosen order of waiters, on real
 * threads: the schedule engine treats notify() as notifyAll() and cannot see it).
 */
class ReadersWritersGradingTest {

    /** The same with notify(): one waiter is woken, maybe one that may not go on. */
    static final class NotifyOne implements RwLock {
        private int readers, waitingWriters;
        private boolean writing;

        public synchronized void lockRead() throws InterruptedException {
            while (writing || waitingWriters > 0) wait();
            readers++;
        }

        public synchronized void unlockRead() {
            if (--readers == 0) notify();
        }

        public synchronized void lockWrite() throws InterruptedException {
            waitingWriters++;
            try {
                while (writing || readers > 0) wait();
            } catch (InterruptedException e) {
                notify();
                throw e;
            } finally {
                waitingWriters--;
            }
            writing = true;
        }

        public synchronized void unlockWrite() {
            writing = false;
            notify();
        }
    }

    @org.junit.jupiter.api.BeforeAll
    static void compileHidden() throws Exception {
        GradingTest.compileHidden();
    }

    static Map<String, TestRunner.Result> grade(org.threadlab.grading.exercises.Make<RwLock> make) {
        return GradingTest.grade(Exercises.READERS_WRITERS, make);
    }

    @Test
    void notifyLosesExactlyTheWakeUpTests() {
        Map<String, TestRunner.Result> m = grade(NotifyOne::new);
        TestRunner.Result orders = m.get("when a writer leaves, a waiting reader or writer gets in: no lost wake-up "
                + "(chosen schedules, both orders of waiting)");
        TestRunner.Result readers = m.get("two readers waiting for a writer both get in when it leaves (a chosen schedule)");
        assertFalse(orders.passed());
        assertTrue(orders.message().contains("A wake-up was lost") && orders.message().contains("RwScenarios.writerLeaves(new NotifyOne(), true)"),
                orders.message());
        assertTrue(orders.message().contains("R woke, waits again"), "the table shows the wrong thread woken: " + orders.message());
        assertFalse(readers.passed());
        // on real threads, six threads and notify() lose a wake-up (and hang until the time limit) only
        // when the JVM happens to wake the wrong one: that test may go either way, so it is left out here
        TestRunner.Result chance = m.get("4 readers and 2 writers on real threads: writers alone, every call returns");
        for (var e : m.entrySet()) {
            if (e.getValue() != orders && e.getValue() != readers && e.getValue() != chance) {
                assertTrue(e.getValue().passed(), e.getKey() + ": " + e.getValue().message());
            }
        }
        assertEquals(10, m.size());
    }
}
