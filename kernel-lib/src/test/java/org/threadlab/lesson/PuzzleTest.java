package org.threadlab.lesson;

import org.junit.jupiter.api.Test;
import org.threadlab.interleave.Interleaving;
import org.threadlab.interleave.Trace;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.threadlab.ThreadLab.interleave;

/** Thread bodies are method references into small classes (see InterleavingTest for why). */
class PuzzleTest {

    /** Signalling: a1 must happen before b1. */
    static final class Signal {
        final Semaphore ready = new Semaphore(0);
        boolean a1;
        boolean b1SawA1;

        void signalAfter() {
            a1 = true;
            ready.release();
        }

        void signalBefore() {
            ready.release();
            a1 = true;
        }

        void waitThenB1() {
            ready.acquireUninterruptibly();
            b1SawA1 = a1;
        }

        @Override
        public String toString() {
            return "b1 saw a1: " + b1SawA1;
        }
    }

    /** A rendezvous in which each thread waits for the other before it says it arrived. */
    static final class Meet {
        final Semaphore aArrived = new Semaphore(0);
        final Semaphore bArrived = new Semaphore(0);

        void a() {
            bArrived.acquireUninterruptibly();
            aArrived.release();
        }

        void b() {
            aArrived.acquireUninterruptibly();
            bArrived.release();
        }
    }

    private static String printed(Runnable body) {
        PrintStream old = System.out;
        var buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(old);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBlankAnswerRunsNothingAndSaysNotAnsweredYet() {
        Interleaving.Body<Signal> blank = null;
        Puzzle.Result[] r = new Puzzle.Result[1];
        String out = printed(() -> r[0] = Puzzle.<Signal>solve("a1 before b1", s -> s.b1SawA1,
                () -> { throw new AssertionError("the threads were made although an answer is blank"); }, (Object) blank));
        assertTrue(out.contains("a1 before b1: not answered yet"), out);
        assertEquals(Quiz.NOT_ANSWERED, r[0].verdict());
        assertFalse(r[0].found());
        assertTrue(r[0].steps().steps().isEmpty());
        assertTrue(r[0].toString().contains("nothing ran yet"), r[0].toString());
    }

    @Test
    void aRightSignalHoldsAndAnEarlyOneIsBrokenWithThePuzzlesOwnSteps() {
        Interleaving.Body<Signal> a = Signal::signalAfter;
        Interleaving.Body<Signal> b = Signal::waitThenB1;
        String out = printed(() -> {
            Puzzle.Result right = Puzzle.solve("a1 before b1", s -> s.b1SawA1, () -> interleave(Signal::new, a, b), a, b);
            assertEquals(Puzzle.HOLDS, right.verdict(), right.toString());
            assertFalse(right.found());
        });
        assertTrue(out.contains("a1 before b1: holds (no interleaving of the 200 tried"), out);

        Puzzle.Result early = Puzzle.solve("a1 before b1", s -> s.b1SawA1, () -> interleave(Signal::new, Signal::signalBefore, Signal::waitThenB1));
        assertEquals(Puzzle.BROKEN, early.verdict(), early.toString());
        assertEquals("b1 saw a1: false", early.detail());
        Trace steps = early.steps();
        // the full trace walks through Semaphore's queue; the puzzle's view keeps the class's own steps only
        assertTrue(early.failure().trace().steps().size() > steps.steps().size(), early.failure().toString());
        for (Trace.Step s : steps.steps()) {
            assertFalse(s.where().contains("Semaphore.java") || s.where().contains("AbstractQueuedSynchronizer"), s.toString());
        }
        assertTrue(steps.steps().stream().anyMatch(s -> s.thread().equals("B") && s.action().contains("b1SawA1 = false")), steps.toString());
        assertTrue(steps.steps().stream().anyMatch(s -> s.thread().equals("A") && s.action().contains("a1 = true")), steps.toString());
    }

    @Test
    void threadsWaitingForEachOthersPermitAreStuck() {
        Puzzle.Result r = Puzzle.solve("both pass", s -> true, () -> interleave(Meet::new, Meet::a, Meet::b));
        assertEquals(Puzzle.STUCK, r.verdict(), r.toString());
        assertTrue(r.found());
        assertTrue(r.steps().steps().stream().anyMatch(s -> s.action().contains("acquireUninterruptibly")), r.steps().toString());
    }

    @Test
    void jdkPlacesAreToldFromThePuzzlesOwn() {
        assertTrue(Puzzle.inJdk("Semaphore.Sync.tryReleaseShared(Semaphore.java:195)"));
        assertTrue(Puzzle.inJdk("AbstractQueuedSynchronizer.acquire(AbstractQueuedSynchronizer.java:728)"));
        assertTrue(Puzzle.inJdk("LockSupport.park(LockSupport.java:217)"));
        assertTrue(Puzzle.inJdk("AtomicInteger.incrementAndGet(AtomicInteger.java:1)"));
        assertFalse(Puzzle.inJdk("$JShell$24$Mailbox.put($JShell$24.java:10)"));
        assertFalse(Puzzle.inJdk("PuzzleTest.Signal.waitThenB1(PuzzleTest.java:33)"));
        assertFalse(Puzzle.inJdk("Rounds.go(Rounds.java:3)"));
    }
}
