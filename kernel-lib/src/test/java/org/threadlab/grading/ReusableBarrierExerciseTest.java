package org.threadlab.grading;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.threadlab.grading.exercises.Barrier;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exercise reusable-barrier tells right from wrong: the lecture's two turnstiles get every point; a
 * barrier that laps and one that works only once lose the points of the tests named for them. The
 * corpus (grading/corpus/reusable-barrier) has more answers, right and wrong, graded in the grading
 * suite the way students' are; these few give mvn verify a quick answer.
 */
class ReusableBarrierExerciseTest {
    static final String FORCED = "3 threads, 3 rounds: nobody passes before the last arrives, and the last lets everyone through";
    static final String ENGINE_2 = "2 threads, 2 rounds, under every schedule the engine tries: nobody passes a round early, nobody waits forever";
    static final String ENGINE_3 = "3 threads, 2 rounds, under every schedule the engine tries: nobody passes a round early, nobody waits forever";

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

    private static void fails(Map<String, TestRunner.Result> m, String test, String what) {
        TestRunner.Result r = m.get(test);
        assertTrue(r != null, "no test called " + test + ": " + m.keySet());
        assertFalse(r.passed(), what + " passed '" + test + "'");
        assertTrue(r.score() == 0, r.toString());
    }

    @Test
    void twoTurnstilesGetEveryPoint() {
        Map<String, TestRunner.Result> m = GradingTest.grade(Exercises.REUSABLE_BARRIER, TwoTurnstiles::new);
        assertTrue(m.size() == 7, m.keySet().toString());
        GradingTest.allPass(m);
    }

    @Test
    void aFastThreadLappingTheOthersFailsUnderTheEngine() {
        Map<String, TestRunner.Result> m = GradingTest.grade(Exercises.REUSABLE_BARRIER, OneTurnstile::new);
        fails(m, ENGINE_2, "one turnstile");
        fails(m, ENGINE_3, "one turnstile");
        assertTrue(m.get(ENGINE_2).message().contains("Replay it in your notebook: interleave(() -> new BarrierRounds(OneTurnstile::new, 2, 2)"),
                m.get(ENGINE_2).message());
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
