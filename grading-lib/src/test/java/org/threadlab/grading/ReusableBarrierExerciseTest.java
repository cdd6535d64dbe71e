package org.threadlab.grading;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.threadlab.grading.exercises.Barrier;
import org.threadlab.grading.exercises.ReusableBarrierTests;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What exercise reusable-barrier tells a student beyond pass or fail: a barrier that works once hears
 * that it does not reopen; a wrapped CyclicBarrier is refused by name. Right and wrong answers
 * (the two turnstiles, one turnstile that laps, a count never reset...) are graded by the real
 * grader in the grading suite, from grading/corpus/reusable-barrier and solutions/.
 */
class ReusableBarrierExerciseTest {
    static final String FORCED = "3 threads, 3 rounds: nobody passes before the last arrives, and the last lets everyone through";

    @BeforeAll
    static void compileHidden() throws Exception {
        GradingTest.compileHidden();
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

    @Test
    void aBarrierThatWorksOnceIsToldItDoesNotReopen() {
        // real threads in a forced order: round 1 passes, round 2 never opens, and the message says why
        AssertionError e = assertThrows(AssertionError.class, () -> ReusableBarrierTests.forcedRounds(CountNeverReset::new, 3, 3));
        assertTrue(e.getMessage().contains("round 2") && e.getMessage().contains("does not reopen"), e.getMessage());
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
