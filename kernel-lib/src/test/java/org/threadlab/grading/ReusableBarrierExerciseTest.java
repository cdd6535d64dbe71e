package org.threadlab.grading;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.threadlab.grading.exercises.Barrier;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exercise reusable-barrier tells right from wrong: two right barriers get every point; the
 * classic wrong ones lose the points of the tests named for them (the corpus in
 * grading/corpus/reusable-barrier has the same mistakes, graded the way students' are).
 */
class ReusableBarrierExerciseTest {
    static final String FORCED = "3 threads, 3 rounds: nobody passes before the last arrives, and the last lets everyone through";
    static final String ENGINE_2 = "2 threads, 2 rounds, under every schedule the engine tries: nobody passes a round early, nobody waits forever";
    static final String ENGINE_3 = "3 threads, 2 rounds, under every schedule the engine tries: nobody passes a round early, nobody waits forever";
    static final String INTERRUPT = "a waiting await() can be interrupted";

    @BeforeAll
    static void compileHidden() throws Exception {
        GradingTest.compileHidden();
    }

    /** The lecture's two turnstiles: count up, the last opens turnstile 1; count down, the last opens turnstile 2. */
    static final class TwoTurnstiles implements Barrier {
        private final int n;
        private int count;
        private final Semaphore mutex = new Semaphore(1), in = new Semaphore(0), out = new Semaphore(0);

        TwoTurnstiles(int n) {
            this.n = n;
        }

        public void await() throws InterruptedException {
            mutex.acquire();
            try {
                if (++count == n) in.release(n);
            } finally {
                mutex.release();
            }
            in.acquire();
            mutex.acquire();
            try {
                if (--count == 0) out.release(n);
            } finally {
                mutex.release();
            }
            out.acquire();
        }
    }

    /** A lock, a condition and a generation number, as CyclicBarrier does it. */
    static final class Generations implements Barrier {
        private final int n;
        private int waiting;
        private long generation;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition opened = lock.newCondition();

        Generations(int n) {
            this.n = n;
        }

        public void await() throws InterruptedException {
            lock.lockInterruptibly();
            try {
                long mine = generation;
                if (++waiting == n) {
                    waiting = 0;
                    generation++;
                    opened.signalAll();
                    return;
                }
                while (generation == mine) opened.await();
            } finally {
                lock.unlock();
            }
        }
    }

    /** One turnstile, opened by the last to arrive and closed by the last to leave: a fast thread laps. */
    static final class OneTurnstile implements Barrier {
        private final int n;
        private int count;
        private final Semaphore mutex = new Semaphore(1), turnstile = new Semaphore(0);

        OneTurnstile(int n) {
            this.n = n;
        }

        public void await() throws InterruptedException {
            mutex.acquire();
            if (++count == n) turnstile.release();
            mutex.release();
            turnstile.acquire();
            turnstile.release();
            mutex.acquire();
            if (--count == 0) turnstile.acquire();
            mutex.release();
        }
    }

    /** Works once: the count is never reset, so round 2 never sees it reach n. */
    static final class CountNeverReset implements Barrier {
        private final int n;
        private int count;
        private final Semaphore mutex = new Semaphore(1), turnstile = new Semaphore(0);

        CountNeverReset(int n) {
            this.n = n;
        }

        public void await() throws InterruptedException {
            mutex.acquire();
            if (++count == n) turnstile.release(n);
            mutex.release();
            turnstile.acquire();
        }
    }

    /** The last resets the count and hands out n - 1 permits, which a fast thread of the next round may take. */
    static final class StolenPermits implements Barrier {
        private final int n;
        private int count;
        private final Semaphore mutex = new Semaphore(1), gate = new Semaphore(0);

        StolenPermits(int n) {
            this.n = n;
        }

        public void await() throws InterruptedException {
            mutex.acquire();
            if (++count == n) {
                count = 0;
                gate.release(n - 1);
                mutex.release();
                return;
            }
            mutex.release();
            gate.acquire();
        }
    }

    /** Two turnstiles, but a waiting thread cannot be interrupted. */
    static final class Uninterruptible implements Barrier {
        private final int n;
        private int count;
        private final Semaphore mutex = new Semaphore(1), in = new Semaphore(0), out = new Semaphore(0);

        Uninterruptible(int n) {
            this.n = n;
        }

        public void await() {
            mutex.acquireUninterruptibly();
            if (++count == n) in.release(n);
            mutex.release();
            in.acquireUninterruptibly();
            mutex.acquireUninterruptibly();
            if (--count == 0) out.release(n);
            mutex.release();
            out.acquireUninterruptibly();
        }
    }

    private static void fails(Map<String, TestRunner.Result> m, String test, String what) {
        TestRunner.Result r = m.get(test);
        assertTrue(r != null, "no test called " + test + ": " + m.keySet());
        assertFalse(r.passed(), what + " passed '" + test + "'");
        assertTrue(r.score() == 0, r.toString());
    }

    @Test
    void twoTurnstilesAndGenerationsGetEveryPoint() {
        Map<String, TestRunner.Result> m = GradingTest.grade(Exercises.REUSABLE_BARRIER, TwoTurnstiles::new);
        assertTrue(m.size() == 7, m.keySet().toString());
        GradingTest.allPass(m);
        GradingTest.allPass(GradingTest.grade(Exercises.REUSABLE_BARRIER, Generations::new));
    }

    @Test
    void aFastThreadLappingTheOthersFailsUnderTheEngineEveryRun() {
        for (int run = 0; run < 2; run++) {
            Map<String, TestRunner.Result> m = GradingTest.grade(Exercises.REUSABLE_BARRIER, OneTurnstile::new);
            fails(m, ENGINE_2, "one turnstile");
            assertTrue(m.get(ENGINE_2).message().contains("Replay it in your notebook: interleave(() -> new BarrierRounds(OneTurnstile::new, 2, 2)"),
                    m.get(ENGINE_2).message());
            fails(GradingTest.grade(Exercises.REUSABLE_BARRIER, StolenPermits::new), ENGINE_2, "permits taken by a fast thread");
        }
    }

    @Test
    void aBarrierThatWorksOnceFailsOnReuse() {
        Map<String, TestRunner.Result> m = GradingTest.grade(Exercises.REUSABLE_BARRIER, CountNeverReset::new);
        fails(m, FORCED, "count never reset");
        assertTrue(m.get(FORCED).message().contains("round 2"), m.get(FORCED).message());
        fails(m, ENGINE_2, "count never reset");
        fails(m, ENGINE_3, "count never reset");
    }

    @Test
    void anUninterruptibleWaitLosesOnlyTheInterruptPoint() {
        Map<String, TestRunner.Result> m = GradingTest.grade(Exercises.REUSABLE_BARRIER, Uninterruptible::new);
        fails(m, INTERRUPT, "acquireUninterruptibly");
        for (TestRunner.Result r : m.values()) if (!r.test().equals(INTERRUPT)) assertTrue(r.passed(), r.test() + ": " + r.message());
    }

    @Test
    void aWrappedCyclicBarrierIsRefused() {
        Map<String, TestRunner.Result> m = GradingTest.grade(Exercises.REUSABLE_BARRIER, Wrapped::new);
        List<TestRunner.Result> passed = m.values().stream().filter(TestRunner.Result::passed).toList();
        assertTrue(passed.isEmpty(), passed.toString());
        assertTrue(m.get(FORCED).message().contains("CyclicBarrier"), m.get(FORCED).message());
    }

    /** java.util.concurrent's barrier behind the interface: right, but not what the exercise asks for. */
    static final class Wrapped implements Barrier {
        private final java.util.concurrent.CyclicBarrier inner;

        Wrapped(int n) {
            inner = new java.util.concurrent.CyclicBarrier(n);
        }

        public void await() throws InterruptedException {
            try {
                inner.await();
            } catch (java.util.concurrent.BrokenBarrierException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
