package org.threadlab.grading.livelock.table;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.exercises.Dinner;
import org.threadlab.grading.exercises.Livelock;

import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The livelock of two philosophers at a table of two, forced on real threads: found in a back-off
 * that puts the fork down and retries at once on every run, never in a table whose philosophers can
 * get on. (Its own package: the copies are made of the classes of the subject's package.)
 */
class TableLivelockTest {

    /** A table of {@code n} forks, fork p between philosophers p - 1 and p: what the tables below share. */
    abstract static class Forks implements Dinner {
        final ReentrantLock[] forks;

        Forks(int n) {
            forks = new ReentrantLock[n];
            for (int i = 0; i < n; i++) forks[i] = new ReentrantLock();
        }
    }

    /** Left fork, then try the right; taken, so put the left down and try again at once. */
    static class RetryAtOnce extends Forks {
        RetryAtOnce(int n) {
            super(n);
        }

        @Override
        public void dine(int p, Runnable eat) throws InterruptedException {
            ReentrantLock left = forks[p], right = forks[(p + 1) % forks.length];
            while (true) {
                left.lockInterruptibly();
                try {
                    if (right.tryLock()) {
                        try {
                            eat.run();
                            return;
                        } finally {
                            right.unlock();
                        }
                    }
                } finally {
                    left.unlock();
                }
            }
        }
    }

    /** The lower-numbered fork first, waiting for each: no cycle, no retry. */
    static class Ordered extends Forks {
        Ordered(int n) {
            super(n);
        }

        @Override
        public void dine(int p, Runnable eat) throws InterruptedException {
            int a = p, b = (p + 1) % forks.length;
            ReentrantLock first = forks[Math.min(a, b)], second = forks[Math.max(a, b)];
            first.lockInterruptibly();
            try {
                second.lockInterruptibly();
                try {
                    eat.run();
                } finally {
                    second.unlock();
                }
            } finally {
                first.unlock();
            }
        }
    }

    /** Left, then right, each waited for: two philosophers each holding their left fork wait for ever. */
    static class LeftThenRight extends Forks {
        LeftThenRight(int n) {
            super(n);
        }

        @Override
        public void dine(int p, Runnable eat) throws InterruptedException {
            ReentrantLock left = forks[p], right = forks[(p + 1) % forks.length];
            left.lockInterruptibly();
            try {
                right.lockInterruptibly();
                try {
                    eat.run();
                } finally {
                    right.unlock();
                }
            } finally {
                left.unlock();
            }
        }
    }

    @RepeatedTest(3)
    @Timeout(60)
    void aBackOffThatRetriesAtOnceLivelocksOnEveryRun() throws InterruptedException {
        String found = Livelock.findAtTable(RetryAtOnce::new);
        assertNotNull(found, "the back-off that retries at once was not kept in step");
        assertTrue(found.contains("LIVELOCK") && found.contains("two philosophers") && found.contains("lower-numbered fork first"), found);
    }

    @RepeatedTest(3)
    @Timeout(60)
    void forksTakenInOneOrderAreNeverCalledALivelock() throws InterruptedException {
        assertNull(Livelock.findAtTable(Ordered::new));
    }

    @Test
    @Timeout(60)
    void aTableThatCanDeadlockIsLeftToTheOtherTestsAndItsThreadsEnd() throws InterruptedException {
        // whether the two deadlock here or one eats first, this test's verdict is the same: not a livelock, nothing left running
        assertNull(Livelock.findAtTable(LeftThenRight::new));
        assertEquals(0, Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("philosopher ")).count(),
                "the deadlocked philosophers were left running");
    }
}
