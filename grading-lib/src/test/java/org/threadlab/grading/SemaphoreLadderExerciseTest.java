package org.threadlab.grading;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.threadlab.grading.exercises.Ladder;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exercise semaphore-ladder tells right from wrong: a signal released before a1 loses the
 * signalling points, answers that wait nowhere score little, and a lock where a semaphore belongs
 * is refused. Right answers (the solution, the corpus's) and a wrong one per puzzle
 * (grading/corpus/semaphore-ladder) are graded by the real grader in the grading suite.
 */
class SemaphoreLadderExerciseTest {
    static final String SIGNAL_ENGINE = "signalling, under every schedule the engine tries: b1 runs, and after a1";

    @BeforeAll
    static void compileHidden() throws Exception {
        GradingTest.compileHidden();
    }

    /** The lecture's answers, each from semaphores: what the wrong answers below change one thing of. */
    static class Lecture implements Ladder {
        final Semaphore ready = new Semaphore(0), aArrived = new Semaphore(0), bArrived = new Semaphore(0), mutex = new Semaphore(1);
        final Semaphore door;

        Lecture(int permits) {
            door = new Semaphore(permits);
        }

        public void signalA(Runnable a1) {
            a1.run();
            ready.release();
        }

        public void signalB(Runnable b1) throws InterruptedException {
            ready.acquire();
            b1.run();
        }

        public void rendezvousA(Runnable a1, Runnable a2) throws InterruptedException {
            a1.run();
            aArrived.release();
            bArrived.acquire();
            a2.run();
        }

        public void rendezvousB(Runnable b1, Runnable b2) throws InterruptedException {
            b1.run();
            bArrived.release();
            aArrived.acquire();
            b2.run();
        }

        public void mutex(Runnable critical) throws InterruptedException {
            mutex.acquire();
            try {
                critical.run();
            } finally {
                mutex.release();
            }
        }

        public void multiplex(Runnable critical) throws InterruptedException {
            door.acquire();
            try {
                critical.run();
            } finally {
                door.release();
            }
        }
    }

    /** The signal goes out before a1 has run: B may run b1 in the gap. */
    static final class ReleasedBeforeA1 extends Lecture {
        ReleasedBeforeA1(int permits) {
            super(permits);
        }

        @Override
        public void signalA(Runnable a1) {
            ready.release();
            a1.run();
        }
    }

    /** The mutex, right, but from a ReentrantLock. */
    static final class LockedMutex extends Lecture {
        final ReentrantLock lock = new ReentrantLock();

        LockedMutex(int permits) {
            super(permits);
        }

        @Override
        public void mutex(Runnable critical) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                critical.run();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Runs every step at once, waiting nowhere. */
    static final class WaitsNowhere implements Ladder {
        WaitsNowhere(int permits) {
        }

        public void signalA(Runnable a1) { a1.run(); }
        public void signalB(Runnable b1) { b1.run(); }
        public void rendezvousA(Runnable a1, Runnable a2) { a1.run(); a2.run(); }
        public void rendezvousB(Runnable b1, Runnable b2) { b1.run(); b2.run(); }
        public void mutex(Runnable critical) { critical.run(); }
        public void multiplex(Runnable critical) { critical.run(); }
    }

    @Test
    void aSignalReleasedBeforeA1FailsUnderTheEngine() {
        // that one test only: a full grading would pay for five more engine searches
        TestRunner.Result r = GradingTest.gradeOnly(Exercises.SEMAPHORE_LADDER, ReleasedBeforeA1::new, SIGNAL_ENGINE).get(SIGNAL_ENGINE);
        assertFalse(r.passed(), r.toString());
        assertTrue(r.message().contains("b1 ran before a1 had run"), r.message());
        assertTrue(r.message().contains("How to fix: a signal announces something that has happened"), r.message());
        assertTrue(r.message().contains("Replay it in your notebook: interleave(() -> new LadderRuns(ReleasedBeforeA1::new, 1), "
                + "LadderRuns::signalA, LadderRuns::signalB).firstFailure(s -> s.signalled())"), r.message());
    }

    @Test
    void answersThatWaitNowhereScoreLittle() {
        // the only test it may pass: a critical section that throws gives back a mutex it never took
        DoNothingTest.scoresOnly(Exercises.SEMAPHORE_LADDER, WaitsNowhere::new, "a ladder that waits nowhere",
                java.util.Set.of("the mutex is given back when the critical section throws, and its exception comes out of mutex()"));
    }

    @Test
    void aLockWhereASemaphoreBelongsIsRefused() {
        Exercises.SEMAPHORE_LADDER.use(LockedMutex::new);
        List<TestRunner.Result> rs = TestRunner.run(Exercises.SEMAPHORE_LADDER.visibleTests(), "visible", 0, null);
        for (TestRunner.Result r : rs) {
            assertFalse(r.passed(), r.toString());
            assertTrue(r.message().contains("the field 'lock' holds a ReentrantLock"), r.message());
        }
    }
}
