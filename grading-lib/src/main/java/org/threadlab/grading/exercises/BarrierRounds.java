package org.threadlab.grading.exercises;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Threads meeting at a student's barrier round after round (reusable-barrier), for the schedule
 * engine: each thread arrives, awaits, and on its way out checks that every thread had arrived at
 * this round. A failure prints the line that runs the same search in a notebook:
 *
 * <pre>{@code
 * interleave(() -> new BarrierRounds(ReusableBarrier::new, 2, 2), BarrierRounds::a, BarrierRounds::b)
 *         .firstFailure(s -> s.ok())
 * }</pre>
 */
public final class BarrierRounds implements Serializable {
    private static final long serialVersionUID = 1L;

    public final Barrier barrier;
    public final int parties;
    public final int rounds;
    /** The round each thread has arrived at (0: not yet). */
    private final AtomicIntegerArray arrived;
    private final AtomicInteger passes = new AtomicInteger();
    /** The first thread that passed a round before every thread had arrived at it, in words. */
    public volatile String early = "";

    public BarrierRounds(IntFactory<Barrier> make, int parties, int rounds) {
        this.parties = parties;
        this.rounds = rounds;
        arrived = new AtomicIntegerArray(parties);
        barrier = make.apply(parties);
    }

    public void a() {
        run(0);
    }

    public void b() {
        run(1);
    }

    public void c() {
        run(2);
    }

    private void run(int me) {
        for (int r = 1; r <= rounds; r++) {
            arrived.set(me, r);
            try {
                barrier.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted in await()", e);
            }
            for (int other = 0; other < parties; other++) {
                if (arrived.get(other) < r && early.isEmpty()) {
                    early = name(me) + " passed round " + r + " before " + name(other) + " had arrived at it";
                }
            }
            passes.incrementAndGet();
        }
    }

    private static String name(int i) {
        return String.valueOf((char) ('A' + i));
    }

    /** Every thread passed every round, and never before all had arrived at it. */
    public boolean ok() {
        return early.isEmpty() && passes.get() == parties * rounds;
    }

    @Override
    public String toString() {
        return !early.isEmpty() ? early : passes.get() + " of " + parties * rounds + " passes (" + parties + " threads, " + rounds + " rounds)";
    }
}
