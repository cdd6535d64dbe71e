package org.threadlab.grading.exercises;

import java.io.Serializable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lecture 17's puzzles played through a student's {@link Ladder} (semaphore-ladder), for the
 * schedule engine: each method is one thread's body, and the steps it hands the ladder note what
 * they saw, so that a check after the run can tell whether the puzzle's rule held. A failure prints
 * the line that runs the same search in a notebook:
 *
 * <pre>{@code
 * interleave(() -> new LadderRuns(SemaphoreLadder::new, 1), LadderRuns::signalA, LadderRuns::signalB)
 *         .firstFailure(s -> s.signalled())
 * }</pre>
 *
 * Blocking calls wrap {@link InterruptedException}, since a thread body cannot throw it.
 */
public final class LadderRuns implements Serializable {
    private static final long serialVersionUID = 1L;

    public final Ladder ladder;
    /** The multiplex's permits. */
    public final int permits;
    /** Which puzzle ran, for the outcome in words. */
    private volatile String puzzle = "";

    // signalling and rendezvous: what each step saw of the other thread's
    private volatile boolean a1Ran, b1Ran, a2Ran, b2Ran, b1SawA1, a2SawB1, b2SawA1;

    // mutex and multiplex: who is inside the critical section, the most at once, finished visits
    private final AtomicInteger inside = new AtomicInteger(), most = new AtomicInteger(), visits = new AtomicInteger();
    /** Two visitors of the multiplex meet inside: each says it is in, then waits for the other. */
    private final Semaphore aInside = new Semaphore(0), bInside = new Semaphore(0);

    public LadderRuns(IntFactory<Ladder> make, int permits) {
        this.permits = permits;
        ladder = make.apply(permits);
    }

    // ---- signalling ----

    public void signalA() {
        puzzle = "signal";
        ladder.signalA(() -> a1Ran = true);
    }

    public void signalB() {
        puzzle = "signal";
        waiting(() -> ladder.signalB(() -> {
            b1SawA1 = a1Ran;
            b1Ran = true;
        }));
    }

    /** b1 ran, after a1. */
    public boolean signalled() {
        return b1Ran && b1SawA1;
    }

    // ---- rendezvous ----

    public void meetA() {
        puzzle = "rendezvous";
        waiting(() -> ladder.rendezvousA(() -> a1Ran = true, () -> {
            a2SawB1 = b1Ran;
            a2Ran = true;
        }));
    }

    public void meetB() {
        puzzle = "rendezvous";
        waiting(() -> ladder.rendezvousB(() -> b1Ran = true, () -> {
            b2SawA1 = a1Ran;
            b2Ran = true;
        }));
    }

    /** a2 and b2 ran, a2 after b1 and b2 after a1. */
    public boolean met() {
        return a2Ran && b2Ran && a2SawB1 && b2SawA1;
    }

    // ---- mutex ----

    /** One thread's turn in the mutex's critical section. */
    public void mutexVisit() {
        puzzle = "mutex";
        waiting(() -> ladder.mutex(this::visit));
    }

    // ---- multiplex ----

    /** One thread's turn in the multiplex; it does not wait inside. */
    public void multiplexVisit() {
        puzzle = "multiplex";
        waiting(() -> ladder.multiplex(this::visit));
    }

    /** A's turn in the multiplex: once inside, it waits there until B is inside too. */
    public void meetInsideA() {
        puzzle = "multiplex";
        waiting(() -> ladder.multiplex(() -> meetInside(aInside, bInside)));
    }

    /** B's turn in the multiplex: once inside, it waits there until A is inside too. */
    public void meetInsideB() {
        puzzle = "multiplex";
        waiting(() -> ladder.multiplex(() -> meetInside(bInside, aInside)));
    }

    private void visit() {
        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
        inside.decrementAndGet();
        visits.incrementAndGet();
    }

    private void meetInside(Semaphore mine, Semaphore other) {
        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
        mine.release();
        try {
            other.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting inside for the other thread", e);
        } finally {
            inside.decrementAndGet();
        }
        visits.incrementAndGet();
    }

    /** Never more inside at once than {@code allowed}, and all {@code threads} visits done. */
    public boolean fewEnough(int allowed, int threads) {
        return most.get() <= allowed && visits.get() == threads;
    }

    // ----

    private interface Waits {
        void run() throws InterruptedException;
    }

    private static void waiting(Waits w) {
        try {
            w.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    @Override
    public String toString() {
        return switch (puzzle) {
            case "signal" -> !b1Ran ? "b1 did not run" : b1SawA1 ? "b1 ran after a1" : "b1 ran before a1 had run";
            case "rendezvous" -> !a2Ran || !b2Ran ? (!a2Ran ? "a2" : "b2") + " did not run"
                    : !b2SawA1 ? "b2 ran before a1 had run" : !a2SawB1 ? "a2 ran before b1 had run" : "a2 after b1, b2 after a1";
            case "mutex", "multiplex" -> "most inside at once: " + most.get() + ", visits done: " + visits.get();
            default -> "nothing ran";
        };
    }
}
