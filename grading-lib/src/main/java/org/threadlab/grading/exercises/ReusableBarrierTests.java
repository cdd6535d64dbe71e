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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.fail;

/** Visible tests of reusable-barrier. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ReusableBarrierTests {
    private final IntFactory<Barrier> make = Exercises.REUSABLE_BARRIER.subject();

    /** How long threads may make no progress at all before they count as stuck (a busy machine is slow, never this slow). */
    public static final long STUCK_MS = 5_000;

    @Test
    @Order(1)
    @Points(2)
    @Timeout(120)
    @DisplayName("3 threads, 3 rounds: nobody passes before the last arrives, and the last lets everyone through")
    void lastArrivalOpensEachRound() throws InterruptedException {
        forcedRounds(make, 3, 3);
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(120)
    @DisplayName("2 threads, 2 rounds, under every schedule the engine tries: nobody passes a round early, nobody waits forever")
    void twoRoundsUnderTheEngine() {
        String cls = Explore.className(made(make, 2));
        var m = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("two threads meet at the barrier twice (each arrives, calls await(), and on its way out checks that the other "
                        + "had arrived at this round)",
                "interleave(() -> new BarrierRounds(" + cls + "::new, 2, 2), BarrierRounds::a, BarrierRounds::b).firstFailure(s -> s.ok())",
                Interleaving.of(() -> new BarrierRounds(m, 2, 2), BarrierRounds::a, BarrierRounds::b), s -> s.ok(), m);
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(120)
    @DisplayName("4 threads, 500 rounds on real threads, released together: nobody passes a round early, nobody stuck")
    void manyRoundsOnRealThreads() throws InterruptedException {
        freeRounds(make, 4, 500);
    }

    // ---- shared with the hidden tests ----

    /**
     * A barrier for {@code parties}; fails when it is a ready-made one ({@code CyclicBarrier},
     * {@code Phaser}) in a field, which the exercise asks to build rather than wrap.
     */
    public static Barrier made(IntFactory<Barrier> make, int parties) {
        Barrier b = make.apply(parties);
        if (b == null) fail("new ...(" + parties + ") gave null: pass the constructor, e.g. ReusableBarrier::new");
        for (Class<?> c = b.getClass(); c != null && c != Object.class && !c.getName().startsWith("java."); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                Object v;
                try {
                    f.setAccessible(true);
                    v = f.get(b);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                if (v instanceof CyclicBarrier || v instanceof Phaser) {
                    fail("the field '" + f.getName() + "' holds a " + v.getClass().getSimpleName() + ": build the barrier from "
                            + "semaphores (or a lock and a condition), not from java.util.concurrent's ready-made barriers");
                }
            }
        }
        return b;
    }

    /**
     * {@code parties} threads meet {@code rounds} times; in each round the test lets all but one
     * call await(), sees them waiting in it, checks that none has passed, then lets the last one
     * arrive (a different one each round) and waits until all have passed.
     */
    public static void forcedRounds(IntFactory<Barrier> make, int parties, int rounds) throws InterruptedException {
        Barrier b = made(make, parties);
        Semaphore[] go = new Semaphore[parties];
        AtomicIntegerArray calling = new AtomicIntegerArray(parties);     // the round in which each thread called await()
        AtomicIntegerArray passed = new AtomicIntegerArray(rounds + 1);   // how many passed each round
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread[] t = new Thread[parties];
        for (int i = 0; i < parties; i++) {
            go[i] = new Semaphore(0);
            int me = i;
            t[i] = Races.daemon("grading-party-" + i, () -> {
                try {
                    for (int r = 1; r <= rounds; r++) {
                        go[me].acquire();
                        calling.set(me, r);
                        b.await();
                        passed.incrementAndGet(r);
                    }
                } catch (InterruptedException e) {
                    // the test is over
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            });
        }
        try {
            for (int r = 1; r <= rounds; r++) {
                int last = (r - 1) % parties;
                for (int i = 0; i < parties; i++) if (i != last) go[i].release();
                for (int i = 0; i < parties; i++) {
                    if (i == last) continue;
                    long end = System.nanoTime() + STUCK_MS * 1_000_000;
                    while (calling.get(i) < r && failed.get() == null && System.nanoTime() < end) Thread.sleep(1);
                    // inside await(): blocked or waiting (a spinning await is given 1 s instead)
                    if (!Gate.waitUntilWaiting(t[i], 1_000)) Thread.sleep(50);
                    thrown(failed);
                    if (passed.get(r) > 0) {
                        fail("round " + r + ": await() returned in a thread while only " + (parties - 1) + " of the " + parties
                                + " threads had arrived: a thread must wait in await() until the last one arrives"
                                + (r > 1 ? " (it did in round " + (r - 1) + ": is something left over from the round before, a permit or a count?)" : ""));
                    }
                }
                go[last].release();
                long idle = System.nanoTime();
                int seen = passed.get(r);
                while (passed.get(r) < parties) {
                    thrown(failed);
                    if (passed.get(r) != seen) {
                        seen = passed.get(r);
                        idle = System.nanoTime();
                    } else if (System.nanoTime() - idle > STUCK_MS * 1_000_000) {
                        fail("round " + r + ": all " + parties + " threads called await(), but " + (parties - passed.get(r))
                                + " of them still wait after " + STUCK_MS / 1000 + " s"
                                + (r > 1 ? ": the barrier worked " + (r == 2 ? "once" : "in the rounds before") + " but does not reopen; "
                                        + "does it count back down, or reset its count, for the next round?"
                                        : ": the last thread to arrive must let every waiting thread through"));
                    }
                    Thread.sleep(1);
                }
            }
            thrown(failed);
        } finally {
            for (Thread x : t) x.interrupt();
        }
    }

    /**
     * {@code parties} threads released together go through {@code rounds} rounds as fast as they
     * can; each checks on its way out that all had arrived at its round. Fails when one passed
     * early, or when no thread got anywhere for {@link #STUCK_MS}.
     */
    public static void freeRounds(IntFactory<Barrier> make, int parties, int rounds) throws InterruptedException {
        Barrier b = made(make, parties);
        AtomicIntegerArray arrivals = new AtomicIntegerArray(rounds + 1);
        AtomicReference<String> early = new AtomicReference<>();
        AtomicInteger passes = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread runner = Races.daemon("grading-rounds", () -> {
            try {
                Races.race(parties, i -> {
                    for (int r = 1; r <= rounds; r++) {
                        arrivals.incrementAndGet(r);
                        b.await();
                        int n = arrivals.get(r);
                        if (n < parties) early.compareAndSet(null, "round " + r + ": a thread passed when " + n + " of the " + parties + " had arrived");
                        passes.incrementAndGet();
                    }
                });
            } catch (InterruptedException e) {
                // the test is over
            } catch (Throwable e) {
                failed.compareAndSet(null, e);
            }
        });
        long idle = System.nanoTime();
        int seen = -1;
        try {
            while (runner.isAlive()) {
                runner.join(10);
                if (passes.get() != seen) {
                    seen = passes.get();
                    idle = System.nanoTime();
                } else if (System.nanoTime() - idle > STUCK_MS * 1_000_000) {
                    int r = 1;
                    while (r < rounds && arrivals.get(r) == parties) r++;
                    fail(parties + " threads going through " + rounds + " rounds made no progress for " + STUCK_MS / 1000 + " s, in round "
                            + r + " (" + passes.get() + " of " + parties * rounds + " passes done): they wait for each other forever");
                }
            }
            thrown(failed);
            if (early.get() != null) fail(early.get() + ": await() must not return before the last thread of the round arrives");
        } finally {
            runner.interrupt();
        }
    }

    private static void thrown(AtomicReference<Throwable> failed) {
        Throwable e = failed.get();
        if (e instanceof AssertionError a) throw a;
        if (e != null) fail("await() threw " + e, e);
    }
}
