package org.threadlab.grading;

import org.junit.jupiter.api.Test;
import org.threadlab.interleave.Interleaving;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grading JVM starts afresh after a test that left a thread of the submission running; the
 * threads reading the schedule engine's JVM are the grader's own, so a test that used the engine
 * must not count as one (each false restart cost a grading JVM and a new engine, seconds apiece).
 */
class LeftRunningTest {
    static final class Counter {
        int n;

        void add() {
            n++;
        }
    }

    @Test
    void theEnginesOwnThreadsDoNotForceARestart() throws InterruptedException {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        var f = Interleaving.of(Counter::new, Counter::add, Counter::add).firstFailure(c -> c.n == 2);
        assertTrue(f.found(), "the lost update is found, so the engine's JVM really ran: " + f);
        assertFalse(Grader.leftRunning(before), "only the engine's reader threads are new after a search");
    }

    @Test
    void aBusyThreadLeftBehindForcesARestart() throws InterruptedException {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        AtomicBoolean stop = new AtomicBoolean();
        Thread busy = new Thread(() -> {
            while (!stop.get()) Thread.onSpinWait();
        }, "left-behind");
        busy.setDaemon(true);
        busy.start();
        try {
            assertTrue(Grader.leftRunning(before));
        } finally {
            stop.set(true);
            busy.join();
        }
    }
}
