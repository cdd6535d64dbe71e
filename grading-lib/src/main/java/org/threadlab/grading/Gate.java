package org.threadlab.grading;

import java.util.concurrent.CountDownLatch;

/**
 * For tests that must know whether a call returned before the work it started was done, without
 * guessing with a sleep: the work waits at a gate, and the gate opens only once the calling
 * thread has either returned (then the work cannot have been done: the call did not wait for it)
 * or has been waiting (joining, awaiting) for a while, which a call that does not wait never does.
 */
public final class Gate {
    private Gate() {}

    /** How long the caller must have been waiting without a break before the gate opens. */
    static final long WAITING_MS = 150;

    /**
     * Opens {@code gate} (on a daemon thread) once {@code caller} has ended, or has been blocked or
     * waiting for {@link #WAITING_MS} ms without a break, or after {@code maxMs} at the latest.
     */
    public static Thread openWhenWaitingOrDone(Thread caller, CountDownLatch gate, long maxMs) {
        return Races.daemon("grading-gate", () -> {
            long end = System.nanoTime() + maxMs * 1_000_000;
            long waitingSince = -1;
            while (System.nanoTime() < end) {
                Thread.State s = caller.getState();
                if (s == Thread.State.TERMINATED) break;
                boolean waiting = s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
                if (!waiting) waitingSince = -1;
                else if (waitingSince < 0) waitingSince = System.nanoTime();
                else if (System.nanoTime() - waitingSince > WAITING_MS * 1_000_000) break;
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    break;
                }
            }
            gate.countDown();
        });
    }

    /** Waits (at most {@code maxMs}) until {@code t} is blocked or waiting: it has reached a lock or a wait and stays there. */
    public static boolean waitUntilWaiting(Thread t, long maxMs) throws InterruptedException {
        long end = System.nanoTime() + maxMs * 1_000_000;
        long since = -1;
        while (System.nanoTime() < end) {
            Thread.State s = t.getState();
            if (s == Thread.State.TERMINATED) return false;
            boolean waiting = s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
            if (!waiting) since = -1;
            else if (since < 0) since = System.nanoTime();
            else if (System.nanoTime() - since > 20_000_000L) return true;
            Thread.sleep(1);
        }
        return false;
    }
}
