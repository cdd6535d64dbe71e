package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Explore;
import org.threadlab.grading.Gate;
import org.threadlab.grading.Points;
import org.threadlab.grading.Races;
import org.threadlab.interleave.Interleaving;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.fail;

/** Visible tests of semaphore-ladder: each puzzle its own tests. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class SemaphoreLadderTests {
    private final IntFactory<Ladder> make = Exercises.SEMAPHORE_LADDER.subject();

    /** How long a thread may make no progress before it counts as stuck (a busy machine is slow, never this slow). */
    public static final long STUCK_MS = 5_000;

    @Test
    @Order(1)
    @Points(1)
    @Timeout(120)
    @DisplayName("signalling, under every schedule the engine tries: b1 runs, and after a1")
    void signallingUnderTheEngine() {
        String cls = Explore.className(made(make, 1));
        var m = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        engine("A runs signalA(a1) while B runs signalB(b1), and b1 notes whether a1 had run",
                "interleave(() -> new LadderRuns(" + cls + "::new, 1), LadderRuns::signalA, LadderRuns::signalB).firstFailure(s -> s.signalled())",
                Interleaving.of(() -> new LadderRuns(m, 1), LadderRuns::signalA, LadderRuns::signalB), s -> s.signalled(), m,
                "a signal announces something that has happened: A releases a semaphore that starts with 0 permits only after a1 has "
                        + "run, and B acquires it before it runs b1",
                "B waits for a signal that never comes: signalA must release (after a1) the semaphore that signalB acquires");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(60)
    @DisplayName("signalling on real threads: a B that comes first waits until A has run a1, and A never waits")
    void signallingOnRealThreads() throws InterruptedException {
        // B first: it must wait in signalB until A signals
        Ladder first = made(make, 1);
        AtomicBoolean a1 = new AtomicBoolean(), b1 = new AtomicBoolean(), b1SawA1 = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread b = Races.daemon("grading-B", () -> call(failed, "signalB", () -> first.signalB(() -> {
            b1SawA1.set(a1.get());
            b1.set(true);
        })));
        Thread a = null;
        try {
            // until B waits in signalB, or has returned: never judged before B has run at all, however busy the machine
            // (a spinning signalB, never seen waiting, is judged after STUCK_MS)
            Gate.waitUntilWaiting(b, STUCK_MS);
            thrown(failed);
            if (b1.get()) {
                fail("B ran b1 before A had even called signalA: signalB must wait (acquire a semaphore that starts with 0 permits) "
                        + "until A signals");
            }
            a = Races.daemon("grading-A", () -> call(failed, "signalA", () -> first.signalA(() -> a1.set(true))));
            a.join(STUCK_MS);
            thrown(failed);
            if (a.isAlive()) fail("signalA, with B already waiting, did not return within " + STUCK_MS / 1000 + " s: A signals and goes on, it never waits");
            b.join(STUCK_MS);
            thrown(failed);
            if (b.isAlive()) {
                fail("A ran signalA, but B still waits in signalB after " + STUCK_MS / 1000 + " s: signalA must release the semaphore "
                        + "that signalB acquires");
            }
            if (!b1.get()) fail("signalB returned without running b1: run b1 after the wait");
            if (!b1SawA1.get()) fail("b1 ran before a1: signalA must run a1 first and release the semaphore after it");
        } finally {
            b.interrupt();
            if (a != null) a.interrupt();
        }

        // A first, B not there yet: A goes on, and the signal waits for B
        Ladder second = made(make, 1);
        AtomicBoolean later = new AtomicBoolean();
        Thread alone = Races.daemon("grading-A", () -> call(failed, "signalA", () -> second.signalA(() -> later.set(true))));
        alone.join(STUCK_MS);
        thrown(failed);
        if (alone.isAlive()) {
            alone.interrupt();
            fail("signalA did not return while B had not called signalB yet: A signals and goes on (release, never acquire, in signalA)");
        }
        if (!later.get()) fail("signalA returned without running a1: run a1, then signal");
        AtomicBoolean ran = new AtomicBoolean();
        Thread b2 = Races.daemon("grading-B", () -> call(failed, "signalB", () -> second.signalB(() -> ran.set(true))));
        b2.join(STUCK_MS);
        thrown(failed);
        if (b2.isAlive()) {
            b2.interrupt();
            fail("A had signalled before B came, but B waited in signalB for " + STUCK_MS / 1000 + " s: the permit A released "
                    + "stays in the semaphore until B takes it, so B must find it and go straight on");
        }
        if (!ran.get()) fail("signalB returned without running b1: run b1 after the wait");
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(120)
    @DisplayName("rendezvous, under every schedule the engine tries: a1 before b2, b1 before a2, nobody waits forever")
    void rendezvousUnderTheEngine() {
        String cls = Explore.className(made(make, 1));
        var m = make;
        engine("A runs rendezvousA(a1, a2) while B runs rendezvousB(b1, b2); a2 notes whether b1 had run, b2 whether a1 had",
                "interleave(() -> new LadderRuns(" + cls + "::new, 1), LadderRuns::meetA, LadderRuns::meetB).firstFailure(s -> s.met())",
                Interleaving.of(() -> new LadderRuns(m, 1), LadderRuns::meetA, LadderRuns::meetB), s -> s.met(), m,
                "each thread, after its first step, says it has arrived (releases its own semaphore, starting at 0), then waits for "
                        + "the other's (acquires it), and only then runs its second step",
                "the threads wait for each other forever: if both wait before they say they have arrived, neither ever says it; "
                        + "release your own semaphore first, then acquire the other's");
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(120)
    @DisplayName("mutex, 2 threads, under every schedule the engine tries: never both in the critical section, both get in")
    void mutexUnderTheEngine() {
        String cls = Explore.className(made(make, 1));
        var m = make;
        engine("two threads each run their critical section through mutex(...)",
                "interleave(() -> new LadderRuns(" + cls + "::new, 1), LadderRuns::mutexVisit, LadderRuns::mutexVisit)"
                        + ".firstFailure(s -> s.fewEnough(1, 2))",
                Interleaving.of(() -> new LadderRuns(m, 1), LadderRuns::mutexVisit, LadderRuns::mutexVisit), s -> s.fewEnough(1, 2), m,
                "the mutex is a semaphore with exactly 1 permit: acquire it before the critical section and release it after "
                        + "(in a finally block), never before",
                "a thread never got in: the mutex must start with 1 permit, and every thread that took it must give it back "
                        + "(release in a finally block)");
    }

    @Test
    @Order(5)
    @Points(2)
    @Timeout(150)
    @DisplayName("multiplex of 2, 3 threads, under every schedule the engine tries: 2 can be inside together, never 3, all get in")
    void multiplexUnderTheEngine() {
        String cls = Explore.className(made(make, 2));
        var m = make;
        engine("a multiplex of 2 permits and 3 threads: A and B, once inside, each wait there until the other is inside too; "
                        + "C goes in and out",
                "interleave(() -> new LadderRuns(" + cls + "::new, 2), LadderRuns::meetInsideA, LadderRuns::meetInsideB, "
                        + "LadderRuns::multiplexVisit).firstFailure(s -> s.fewEnough(2, 3))",
                Interleaving.of(() -> new LadderRuns(m, 2), LadderRuns::meetInsideA, LadderRuns::meetInsideB, LadderRuns::multiplexVisit),
                s -> s.fewEnough(2, 3), m,
                "more threads were inside than the multiplex has permits: it is a semaphore with n permits (the constructor's number), "
                        + "acquired before the critical section and released after it, not at once (that is a turnstile)",
                "the threads never finished: a multiplex of 2 must let 2 threads in together (start the semaphore with the "
                        + "constructor's number of permits) and give each permit back when the critical section ends");
    }

    // ---- shared with the hidden tests ----

    /** Fields of these types mean the puzzle was built from something other than semaphores. */
    private static final Class<?>[] NOT_SEMAPHORES = {java.util.concurrent.locks.Lock.class, java.util.concurrent.locks.Condition.class,
            java.util.concurrent.locks.ReadWriteLock.class, java.util.concurrent.CountDownLatch.class, java.util.concurrent.CyclicBarrier.class,
            java.util.concurrent.Phaser.class, java.util.concurrent.Exchanger.class};

    /**
     * A ladder whose multiplex has {@code permits}; fails when a field holds a lock, a condition,
     * a latch or a barrier: the exercise asks for the puzzles built from semaphores.
     */
    public static Ladder made(IntFactory<Ladder> make, int permits) {
        Ladder l = make.apply(permits);
        if (l == null) fail("new ...(" + permits + ") gave null: pass the constructor, e.g. SemaphoreLadder::new");
        for (Class<?> c = l.getClass(); c != null && c != Object.class && !c.getName().startsWith("java."); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                Object v;
                try {
                    f.setAccessible(true);
                    v = f.get(l);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                for (Class<?> no : NOT_SEMAPHORES) {
                    if (no.isInstance(v)) {
                        fail("the field '" + f.getName() + "' holds a " + v.getClass().getSimpleName() + ": build each puzzle from "
                                + "semaphores (java.util.concurrent.Semaphore), as lecture 17 does, not from locks, latches or barriers");
                    }
                }
            }
        }
        return l;
    }

    /**
     * Explore.noFailure, with the way to fix it in the puzzle's words after the first line:
     * {@code fixBroken} when the rule broke or a thread threw, {@code fixStuck} when the threads
     * never finished.
     */
    public static <S> void engine(String what, String paste, Interleaving<S> threads, Interleaving.Check<S> check, Object madeBy,
                                  String fixBroken, String fixStuck) {
        try {
            Explore.noFailure(what, paste, threads, check, madeBy);
        } catch (AssertionError e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("not done yet")) throw e;   // a stub: nothing to fix in the puzzle yet
            boolean stuck = msg.contains("DEADLOCK") || msg.contains("never finish");
            int nl = msg.indexOf('\n');
            String fix = "How to fix: " + (stuck ? fixStuck : fixBroken) + ".";
            throw new AssertionError(nl < 0 ? msg + "\n" + fix : msg.substring(0, nl) + "\n" + fix + msg.substring(nl), e);
        }
    }

    /** A call that may wait, run on a test's thread; an interrupt ends it quietly, anything else thrown is kept. */
    interface Call {
        void run() throws InterruptedException;
    }

    static void call(AtomicReference<Throwable> failed, String method, Call c) {
        try {
            c.run();
        } catch (InterruptedException e) {
            // the test is over
        } catch (Throwable e) {
            failed.compareAndSet(null, new AssertionError(method + " threw " + e, e));
        }
    }

    /** Fails with the first exception a ladder method threw on another thread. */
    public static void thrown(AtomicReference<Throwable> failed) {
        Throwable e = failed.get();
        if (e instanceof AssertionError a) throw a;
        if (e != null) fail("the ladder threw " + e, e);
    }
}
