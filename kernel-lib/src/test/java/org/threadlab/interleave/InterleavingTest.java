package org.threadlab.interleave;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.threadlab.ThreadLab.interleave;
import static org.threadlab.ThreadLab.step;

/**
 * Thread bodies here are method references into small classes, as hidden tests should write them:
 * Lincheck cannot instrument a class whose many serializable lambdas make its $deserializeLambda$
 * too large, and a lambda body inside such a class would run unobserved.
 */
class InterleavingTest {

    /** Lecture 09's counter: a plain read-modify-write, no marks. */
    static final class Counter {
        int n;

        void inc() {
            n = n + 1;
        }

        void failIfZero() {
            if (n == 0) throw new IllegalStateException("B saw n=0");
        }
    }

    /** The same, split at the point where x86.py's students switch threads. */
    static final class SteppedCounter {
        int n;

        void inc() {
            int t = n;
            step();
            n = t + 1;
        }
    }

    static final class SafeCounter {
        int n;

        synchronized void inc() {
            n = n + 1;
        }
    }

    /** Lecture 13 / exercise e1: each transfer locks its source first. */
    static final class Bank {
        final int[] balance = {100, 100};
        final Object[] lock = {new Object(), new Object()};

        void transfer(int from, int to, int amount) {
            synchronized (lock[from]) {
                step();
                synchronized (lock[to]) {
                    balance[from] -= amount;
                    balance[to] += amount;
                }
            }
        }

        void firstToSecond() {
            transfer(0, 1, 10);
        }

        void secondToFirst() {
            transfer(1, 0, 10);
        }

        @Override
        public String toString() {
            return "balances " + balance[0] + "/" + balance[1];
        }
    }

    /** Lecture 12 / exercise e2: the consumer checks without holding the lock, then waits. */
    static final class Box {
        boolean ready;
        final Object m = new Object();

        void put() {
            synchronized (m) {
                ready = true;
                m.notifyAll();
            }
        }

        void takeLosingTheWakeUp() {
            if (!ready) {
                synchronized (m) {
                    try {
                        m.wait();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    static final class Flag {
        boolean set;   // never set: the loop never ends

        void spinUntilSet() {
            while (!set) {
                Thread.onSpinWait();
            }
        }
    }

    /** Reads a file: I/O, which Lincheck does not control. */
    static final class Loader {
        int bytes;

        void load() {
            try (java.io.FileInputStream in = new java.io.FileInputStream(System.getProperty("java.home") + "/release")) {
                bytes += in.read(new byte[16]);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void fileReadInAThreadIsNamedAsNotControlled() {
        Failure f = interleave(Loader::new, Loader::load).firstFailure();
        assertEquals("not controlled", f.kind(), f::toString);
        assertTrue(f.message().startsWith("A threw ") && f.message().contains("File operations") && f.message().contains("setup"), f.message());
        assertTrue(f.trace().steps().stream().anyMatch(s -> s.action().startsWith("FileInputStream.<init>")), f::toString);
    }

    @Test
    void lostUpdateOfAPlainFieldIsFoundWithItsInterleaving() {
        Failure f = interleave(Counter::new, Counter::inc, Counter::inc).firstFailure(c -> c.n == 2);
        assertTrue(f.found(), f::toString);
        assertEquals("invariant broken", f.kind());
        assertEquals("outcome n=1", f.message());
        List<Trace.Step> reads = f.trace().steps().stream().filter(s -> s.action().contains("➜")).toList();
        assertTrue(reads.stream().anyMatch(s -> s.thread().equals("A")) && reads.stream().anyMatch(s -> s.thread().equals("B")),
                "both threads read n before either writes:\n" + f);
        assertTrue(f.trace().steps().stream().anyMatch(s -> s.where().contains("InterleavingTest.java:")), "source lines shown:\n" + f);
        assertTrue(f.toString().contains("thread") && f.toString().contains("shared values"), f::toString);
        assertEquals("", f.schedule(), "no step() marks in this counter: no segment schedule reaches n=1");
    }

    @Test
    void aFailureComesWithTheScheduleThatReplaysIt() {
        Failure f = interleave(SteppedCounter::new, SteppedCounter::inc, SteppedCounter::inc).firstFailure(c -> c.n == 2);
        assertEquals("ABAB", f.schedule(), f::toString);
        assertTrue(f.toString().contains("replay: .schedule(\"ABAB\")"), f::toString);
        assertTrue(f.trace().steps().stream().noneMatch(s -> s.where().startsWith("ThreadLab.step(")), f::toString);
    }

    @Test
    void replayOfAGivenScheduleGivesTheKnownResultEveryTime() {
        var race = interleave(SteppedCounter::new, SteppedCounter::inc, SteppedCounter::inc);
        for (int i = 0; i < 20; i++) {
            Run lost = race.schedule("ABAB");
            assertEquals("n=1", lost.outcome());
            assertEquals("ABAB", lost.trace().letters());
            assertEquals(List.of("n=0", "n=0", "n=1", "n=1"), lost.trace().steps().stream().map(Trace.Step::values).toList());
            assertEquals("n=2", race.schedule("AABB").outcome());
            assertEquals("n=2", race.schedule(List.of("B", "B", "A", "A")).outcome());
        }
    }

    @Test
    void aLetterNamingNoThreadIsRefusedWithTheLettersToUse() {
        var race = interleave(SteppedCounter::new, SteppedCounter::inc, SteppedCounter::inc);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> race.schedule("ABC"));
        assertTrue(e.getMessage().contains("use A to B"), e.getMessage());
    }

    @Test
    void sameSeedGivesTheSameOutcomeTable() {
        var race = interleave(SteppedCounter::new, SteppedCounter::inc, SteppedCounter::inc);
        Outcomes one = race.explore(40, 7);
        Outcomes two = race.explore(40, 7);
        assertEquals(one.toString(), two.toString());
        assertEquals(one.rows().stream().map(r -> r.outcome() + r.count() + r.schedule()).toList(),
                two.rows().stream().map(r -> r.outcome() + r.count() + r.schedule()).toList());
        assertEquals(40, one.rows().stream().mapToInt(Outcomes.Row::count).sum());
        for (Outcomes.Row r : one.rows()) assertEquals(r.outcome(), race.schedule(r.schedule()).outcome(), "each schedule replays its outcome");
    }

    @Test
    void explorationListsEveryOutcomeWithAScheduleThatReachesIt() {
        Outcomes o = interleave(SteppedCounter::new, SteppedCounter::inc, SteppedCounter::inc).explore();
        assertEquals(List.of("n=1", "n=2"), o.outcomes().stream().sorted().toList(), o::toString);
        assertTrue(o.complete(), o::toString);
        var race = interleave(SteppedCounter::new, SteppedCounter::inc, SteppedCounter::inc);
        for (Outcomes.Row r : o.rows()) assertEquals(r.outcome(), race.schedule(r.schedule()).outcome());
    }

    @Test
    void lockOrderDeadlockIsFound() {
        Failure f = interleave(Bank::new, Bank::firstToSecond, Bank::secondToFirst).firstFailure();
        assertEquals("deadlock", f.kind(), f::toString);
        assertTrue(f.trace().steps().stream().anyMatch(s -> s.action().contains("MONITORENTER")), f::toString);
    }

    @Test
    void replayingTheDeadlockingOrderReportsTheStuckThread() {
        Run r = interleave(Bank::new, Bank::firstToSecond, Bank::secondToFirst).schedule("AB");
        assertTrue(r.stuck(), r::toString);
        assertTrue(r.problems().get(0).contains("BLOCKED"), r.problems()::toString);
    }

    @Test
    void lostWakeUpIsFound() {
        Failure f = interleave(Box::new, Box::takeLosingTheWakeUp, Box::put).firstFailure();
        assertEquals("deadlock", f.kind(), f::toString);
        assertTrue(f.trace().steps().stream().anyMatch(s -> s.thread().equals("A") && s.action().contains("WAIT")), f::toString);
    }

    @Test
    void correctCounterPassesAndHasOneOutcome() {
        var safe = interleave(SafeCounter::new, SafeCounter::inc, SafeCounter::inc);
        Failure f = safe.firstFailure(c -> c.n == 2);
        assertFalse(f.found(), f::toString);
        Outcomes o = safe.explore();
        assertEquals(List.of("n=2"), o.outcomes());
        assertTrue(o.complete());
    }

    @Test
    void verifyThrowsWithTheFailingInterleaving() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> interleave(Counter::new, Counter::inc, Counter::inc).verify(c -> c.n == 2));
        assertTrue(e.getMessage().startsWith("invariant broken: outcome n=1"), e.getMessage());
        assertTrue(e.getMessage().contains("shared values"), e.getMessage());
    }

    @Test
    void anEndlessLoopIsReportedAsLivelockWithItsTrace() {
        Failure f = interleave(Flag::new, Flag::spinUntilSet).firstFailure();
        assertEquals("livelock", f.kind(), f::toString);
        assertFalse(f.trace().steps().isEmpty());
    }

    @Test
    void anExceptionInAThreadIsShownWithTheScheduleThatLedThere() {
        Failure f = interleave(Counter::new, Counter::inc, Counter::failIfZero).firstFailure();
        assertEquals("exception", f.kind(), f::toString);
        assertTrue(f.message().contains("B threw java.lang.IllegalStateException: B saw n=0"), f.message());
        assertTrue(f.trace().steps().stream().anyMatch(s -> s.thread().equals("B")), f::toString);
    }

    @Test
    void interruptStopsAnExplorationWithinTwoSeconds() throws Exception {
        var big = interleave(SafeCounter::new, SafeCounter::inc, SafeCounter::inc, SafeCounter::inc).invocations(50_000_000);
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                big.explore();
            } catch (Throwable e) {
                ended.set(e);
            }
        });
        t.start();
        Thread.sleep(3_000);   // the engine's JVM is up and searching
        assertTrue(t.isAlive(), "the search should still run: 50 million interleavings");
        long t0 = System.nanoTime();
        t.interrupt();
        t.join(Duration.ofSeconds(10).toMillis());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertFalse(t.isAlive());
        assertTrue(seconds < 2, "stopped after " + seconds + " s");
        assertTrue(String.valueOf(ended.get()).contains("interrupted"), String.valueOf(ended.get()));
    }

    @Test
    void traceDrawsOneLanePerThread() {
        Run r = interleave(SteppedCounter::new, SteppedCounter::inc, SteppedCounter::inc).schedule("ABAB");
        assertEquals(List.of("A", "B"), r.trace().threads());
        assertTrue(r.chart().jfree() != null);
    }
}
