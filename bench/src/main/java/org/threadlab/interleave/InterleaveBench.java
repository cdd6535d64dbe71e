package org.threadlab.interleave;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./threadlab bench interleave [runs]}: how long the engine takes to find each corpus bug
 * (lecture 09's lost update, lecture 13's lock-order deadlock, lecture 12's lost wake-up), to pass
 * the correct versions, and to start. The first row starts a fresh engine JVM for every run (what
 * the first call in a notebook or a grading run pays); the others use the warm engine JVM, as
 * later calls do. "wall" is what the caller waits, "search" is Lincheck's part inside the engine
 * JVM. Medians of {@code runs} (default 5).
 *
 * <pre>{@code java -cp kernel-lib/target/classes:kernel-lib/target/lib/* org.threadlab.interleave.InterleaveBench 5}</pre>
 */
public final class InterleaveBench {
    private InterleaveBench() {}

    /** Lecture 09. */
    static final class Counter {
        int n;

        void inc() {
            n = n + 1;
        }

        boolean both() {
            return n == 2;
        }
    }

    static final class SafeCounter {
        int n;

        synchronized void inc() {
            n = n + 1;
        }

        boolean both() {
            return n == 2;
        }
    }

    /** Lecture 13 and exercise e1: each transfer locks its source first. */
    static final class Accounts {
        final Object a = new Object();
        final Object b = new Object();
        int inA = 100;
        int inB = 100;

        void aToB() {
            synchronized (a) {
                synchronized (b) {
                    inA -= 10;
                    inB += 10;
                }
            }
        }

        void bToA() {
            synchronized (b) {
                synchronized (a) {
                    inB -= 10;
                    inA += 10;
                }
            }
        }

        /** The fix: one global order (a before b). */
        void bToAOrdered() {
            synchronized (a) {
                synchronized (b) {
                    inB -= 10;
                    inA += 10;
                }
            }
        }
    }

    /** Lecture 12 and exercise e2: the taker tests the flag outside the lock, then waits. */
    static final class Handoff {
        final Object m = new Object();
        boolean ready;

        void put() {
            synchronized (m) {
                ready = true;
                m.notifyAll();
            }
        }

        void takeLosingWakeUp() {
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

        void take() {
            synchronized (m) {
                while (!ready) {
                    try {
                        m.wait();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    static final class Nothing {
        void idle() {
            // the engine's start-up alone
        }
    }

    record Case(String name, String expect, Interleaving<?> it, Interleaving.Check<Object> check) {}

    @SuppressWarnings("unchecked")
    static List<Case> cases() {
        return List.of(
                new Case("start-up: fresh engine JVM, 1 empty thread", "none", Interleaving.of(Nothing::new, Nothing::idle), null),
                new Case("lost update (lecture 09)", "invariant broken", Interleaving.of(Counter::new, Counter::inc, Counter::inc),
                        s -> ((Counter) s).both()),
                new Case("counter, synchronized", "none", Interleaving.of(SafeCounter::new, SafeCounter::inc, SafeCounter::inc),
                        s -> ((SafeCounter) s).both()),
                new Case("lock-order deadlock (lecture 13, e1)", "deadlock", Interleaving.of(Accounts::new, Accounts::aToB, Accounts::bToA), null),
                new Case("transfers, one lock order", "none", Interleaving.of(Accounts::new, Accounts::aToB, Accounts::bToAOrdered), null),
                new Case("lost wake-up (lecture 12, e2)", "deadlock", Interleaving.of(Handoff::new, Handoff::takeLosingWakeUp, Handoff::put), null),
                new Case("wait in a while loop", "none", Interleaving.of(Handoff::new, Handoff::take, Handoff::put), null));
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.printf(Locale.ROOT, "== interleave: Lincheck 3.7 in the engine JVM; %d runs each; %d cores; Java %s ==%n",
                runs, Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.printf(Locale.ROOT, "%-44s %-16s %-17s %10s %10s %10s%n", "case", "expected", "verdicts", "wall med", "search med", "wall max");
        for (Case c : cases()) {
            List<Long> wall = new ArrayList<>();
            List<Long> search = new ArrayList<>();
            int right = 0;
            for (int i = 0; i < runs; i++) {
                @SuppressWarnings("unchecked")
                Interleaving<Object> it = (Interleaving<Object>) c.it();
                Interleaving<Object> withCheck = c.check() == null ? it : it.withCheck(c.check());
                if (c.name().startsWith("start-up")) EnginePool.restart();
                long t0 = System.nanoTime();
                Engine.Answer a = withCheck.engine(Engine.Mode.FAILURE);
                wall.add(System.nanoTime() - t0);
                search.add(a.searchNanos());
                String kind = a.found().isEmpty() ? "none" : a.found().get(0).kind();
                if (kind.equals(c.expect())) right++;
            }
            if (c.name().startsWith("start-up")) EnginePool.restart();
            System.out.printf(Locale.ROOT, "%-44s %-16s %2d/%d as expected %10s %10s %10s%n", c.name(), c.expect(), right, runs,
                    ms(median(wall)), ms(median(search)), ms(Collections.max(wall)));
        }
        EnginePool.restart();
        var race = Interleaving.of(Counter::new, Counter::inc, Counter::inc);
        List<Long> replay = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            long t0 = System.nanoTime();
            race.schedule("AB");
            replay.add(System.nanoTime() - t0);
        }
        System.out.printf(Locale.ROOT, "%-44s %s ms (median of 21, in this JVM, no engine)%n", "replay of a schedule", String.format(Locale.ROOT, "%.2f", median(replay) / 1e6));
    }

    private static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    private static double median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }
}
