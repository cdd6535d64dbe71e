package org.threadlab.grading;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RacesTest {

    @Test
    void aCycleThroughTimedTryLocksIsNotCalledADeadlock() throws Exception {
        Thread[] pair = crossLocked(true);
        try {
            // the JVM itself reports the cycle: the grader must look closer than findDeadlockedThreads()
            assertNotNull(ManagementFactory.getThreadMXBean().findDeadlockedThreads(), "no cycle to look at");
            assertNull(Races.deadlock(pair));
        } finally {
            release(pair);
        }
    }

    @Test
    void aCycleOfLockInterruptiblyIsNamedAsADeadlock() throws Exception {
        Thread[] pair = crossLocked(false);
        try {
            String message = Races.deadlock(pair);
            assertNotNull(message);
            assertTrue(message.contains("DEADLOCK") && message.contains("cross-1") && message.contains("cross-2"), message);
        } finally {
            release(pair);
        }
    }

    /** Two threads that each hold one lock and wait for the other's, with or without a timeout. */
    private static Thread[] crossLocked(boolean timed) throws InterruptedException {
        var a = new ReentrantLock();
        var b = new ReentrantLock();
        var bothHold = new CyclicBarrier(2);
        Thread t1 = Races.daemon("cross-1", () -> holdAndWait(a, b, bothHold, timed));
        Thread t2 = Races.daemon("cross-2", () -> holdAndWait(b, a, bothHold, timed));
        Thread.State waiting = timed ? Thread.State.TIMED_WAITING : Thread.State.WAITING;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((t1.getState() != waiting || t2.getState() != waiting || a.getQueueLength() + b.getQueueLength() < 2)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return new Thread[] {t1, t2};
    }

    private static void holdAndWait(ReentrantLock mine, ReentrantLock theirs, CyclicBarrier bothHold, boolean timed) {
        mine.lock();
        try {
            bothHold.await();
            if (timed) {
                if (theirs.tryLock(60, TimeUnit.SECONDS)) theirs.unlock();
            } else {
                theirs.lockInterruptibly();
                theirs.unlock();
            }
        } catch (Exception interrupted) {
            // released by the test
        } finally {
            mine.unlock();
        }
    }

    private static void release(Thread[] pair) throws InterruptedException {
        for (Thread t : pair) t.interrupt();
        for (Thread t : pair) t.join(5000);
    }
}
