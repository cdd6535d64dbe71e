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
        // a setup that would fail the test if it ran: nothing may run while an answer is blank
        Interleaving.Setup<Signal> mustNotRun = () -> { throw new AssertionError("a puzzle ran although an answer is blank"); };
        String out = printed(() -> r[0] = Puzzle.solve("a1 before b1", s -> s.b1SawA1, mustNotRun, Signal::signalAfter, blank));
        assertTrue(out.contains("a1 before b1: not answered yet"), out);
        assertEquals(Quiz.NOT_ANSWERED, r[0].verdict());
        assertFalse(r[0].found());
        assertTrue(r[0].steps().steps().isEmpty());
        assertTrue(r[0].toString().contains("nothing ran yet"), r[0].toString());
        String noSetup = printed(() -> Puzzle.solve("a1 before b1", s -> s.b1SawA1, (Interleaving.Setup<Signal>) null, Signal::signalAfter));
        assertTrue(noSetup.contains("not answered yet"), noSetup);
    }

    @Test
    void aRightSignalHoldsAndAnEarlyOneIsBrokenWithThePuzzlesOwnSteps() {
        String out = printed(() -> {
            Puzzle.Result right = Puzzle.solve("a1 before b1", s -> s.b1SawA1, Signal::new, Signal::signalAfter, Signal::waitThenB1);
            assertEquals(Puzzle.HOLDS, right.verdict(), right.toString());
            assertFalse(right.found());
        });
        assertTrue(out.contains("a1 before b1: holds (no interleaving of the " + Puzzle.BOUND + " tried"), out);

        Puzzle.Result early = Puzzle.solve("a1 before b1", s -> s.b1SawA1, Signal::new, Signal::signalBefore, Signal::waitThenB1);
        assertEquals(Puzzle.BROKEN, early.verdict(), early.toString());
        assertEquals("b1 saw a1: false", early.detail());
        Trace steps = early.steps();
        // the full trace walks through Semaphore's queue and the rule's check; the puzzle's view keeps the class's own steps
        assertTrue(early.failure().trace().steps().size() > steps.steps().size(), early.failure().toString());
        for (Trace.Step s : steps.steps()) {
            assertFalse(s.where().contains("Semaphore.java") || s.where().contains("AbstractQueuedSynchronizer")
                    || s.where().contains("Puzzle.java"), s.toString());
        }
        assertTrue(steps.steps().stream().anyMatch(s -> s.thread().equals("B") && s.action().contains("b1SawA1 = false")), steps.toString());
        assertTrue(steps.steps().stream().anyMatch(s -> s.thread().equals("A") && s.action().contains("a1 = true")), steps.toString());
        assertTrue(early.toString().contains("the interleaving that broke the rule (b1 saw a1: false)"), early.toString());
        // the last steps are B's b1 or A's a1, not the rule's check run after both finished
        Trace.Step last = steps.steps().get(steps.steps().size() - 1);
        assertTrue(last.action().contains("b1SawA1 = false") || last.action().contains("a1 = true"), steps.toString());
    }

    @Test
    void threadsWaitingForEachOthersPermitAreStuck() {
        Puzzle.Result r = Puzzle.solve("both pass", s -> true, Meet::new, Meet::a, Meet::b);
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

    /** A state without a toString() of its own. */
    static final class Plain {
        int count = 1;
        boolean done;
    }

    @Test
    void aStateWithoutItsOwnToStringIsShownByItsFields() {
        assertEquals("count=1, done=false", Puzzle.describe(new Plain()));
        assertEquals("b1 saw a1: false", Puzzle.describe(new Signal()));
    }

    @Test
    void aCellsPlaceDropsJShellLinesAndNamesLambdas() {
        assertEquals("Signal.b1", Puzzle.place("Signal.b1(java:12)"));
        assertEquals("a lambda", Puzzle.place("lambda$do_it$$fdf35678$1(java:9)"));
        assertEquals("a lambda", Puzzle.place("lambda$do_it$Aux$1db1b023$1(java:9)"));
        assertEquals("Rounds.threads (a lambda)", Puzzle.place("Rounds.lambda$threads$4ad2f26b$1(java:28)"));
        assertEquals("$JShell$24$Signal.b1", Puzzle.place("$JShell$24$Signal.b1($JShell$24.java:12)"));
        assertEquals("a lambda", Puzzle.place("$JShell$30.lambda$do_it$$fdf35678$1($JShell$30.java:10)"));
        assertEquals("$JShell$31$Rounds.threads (a lambda)", Puzzle.place("$JShell$31$Rounds.lambda$threads$60a09b11$1($JShell$31.java:28)"));
        assertEquals("PuzzleTest.Signal.b1(PuzzleTest.java:33)", Puzzle.place("PuzzleTest.Signal.b1(PuzzleTest.java:33)"));
    }
}
