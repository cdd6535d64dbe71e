package org.threadlab.grading;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two threads kept in step at every {@code tryLock}, on real threads: a livelock shown on every run
 * instead of when chance keeps two retry loops in step. A copy of the student's class
 * ({@link #copyOf}) makes {@link SteppedLock}s wherever it said {@code new ReentrantLock()}. When
 * both threads are the test's ({@link #mover}), each {@code tryLock} waits until the other thread
 * tries too, and after trying waits until the other has tried: so when each holds one lock and
 * tries the other's, both fail, every time. A back-off that lets go and retries at once then
 * retries for ever, and {@link #livelocked()} says so after {@value #ROUNDS} such rounds in a row.
 *
 * <p>A {@code tryLock} never waits for a thread that is blocked or waiting elsewhere (a lock taken
 * in order, a sleep before retrying, a thread that has ended), nor for one that has spent
 * {@value #BUSY_ELSEWHERE_NS} ns of CPU elsewhere meanwhile (spinning on a flag), so code whose threads can get on
 * gets on: taking the locks in one order never reaches a round, and a random sleep between tries
 * lets one of them through. Stepping stops after {@value #ROUNDS} rounds or
 * {@value #MAX_MS} ms, and the threads then run as they like.
 *
 * <pre>{@code
 * LockStep step = new LockStep();
 * Bank bank = step.copyOf(branch.getClass(), int.class, 2);    // null: cannot copy, judge nothing with it
 * Thread a = step.mover("A", () -> bank.transfer(0, 1, 300)), b = step.mover("B", () -> bank.transfer(1, 0, 200));
 * a.start(); b.start(); ...
 * step.livelocked();                                  // true with a back-off that retries at once
 * }</pre>
 */
public final class LockStep {
    /** Rounds in a row in which both threads held a lock and failed to get the other's: a livelock. */
    public static final int ROUNDS = 200;
    /** After this the threads are no longer held back: a verdict needs the rounds before it. */
    static final long MAX_MS = 20_000;
    /** {@link #MAX_MS} in seconds, for messages. */
    public static final long MAX_SECONDS = MAX_MS / 1000;
    /** How long the other thread must stay blocked or waiting outside a {@code tryLock} before one tries alone. */
    static final long PARKED_MS = 20;

    /** CPU time the other thread may spend elsewhere while one waits for it at a meeting, in ns, before that one goes on alone. */
    static final long BUSY_ELSEWHERE_NS = 200_000_000L;

    private static final InheritableThreadLocal<LockStep> FORMING = new InheritableThreadLocal<>();

    private final Thread[] movers = new Thread[2];
    private final boolean[] trying = new boolean[2];   // inside tryLock: it will come to the next meeting
    private final boolean[] pairedBefore = new boolean[2];
    private final boolean[] got = new boolean[2];
    private int waiting = -1;           // the mover waiting at a meeting, if any
    private int waitingPhase;
    private long meetings;              // meetings completed, so the waiter knows it was met
    private int failedRounds, mostFailedRounds;
    private boolean released, livelocked, gaveUp;
    private long started;

    /**
     * A lock whose {@code tryLock} is kept in step with the other thread's by the {@link LockStep}
     * that was current when it was made; otherwise a plain {@link ReentrantLock}. Public because
     * the student's copied classes make it.
     */
    public static class SteppedLock extends ReentrantLock {
        private static final long serialVersionUID = 1L;
        private final transient LockStep step = FORMING.get();

        public SteppedLock() {}

        public SteppedLock(boolean fair) {
            super(fair);
        }

        @Override
        public boolean tryLock() {
            if (step == null) return super.tryLock();
            try {
                return step.attempt(() -> super.tryLock());
            } catch (InterruptedException e) {
                throw new AssertionError(e);   // neither an untimed tryLock nor a meeting throws it
            }
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            if (step == null) return super.tryLock(time, unit);
            return step.attempt(() -> super.tryLock(time, unit));
        }
    }

    private interface Attempt {
        boolean run() throws InterruptedException;
    }

    /**
     * A new object of the copy of {@code subject}, made by its constructor taking one argument of
     * type {@code param} ({@code int.class}, {@code long.class}), whose {@code ReentrantLock}s are
     * kept in step by this; null when the class cannot be copied or has no such constructor.
     */
    @SuppressWarnings("unchecked")
    public <T> T copyOf(Class<?> subject, Class<?> param, Object arg) {
        Class<?> copy = ClassCopies.swapping(subject, Map.of("java/util/concurrent/locks/ReentrantLock",
                SteppedLock.class.getName().replace('.', '/')));
        if (copy == null) return null;
        LockStep before = FORMING.get();
        FORMING.set(this);
        try {
            var make = copy.getDeclaredConstructor(param);
            make.setAccessible(true);
            return (T) make.newInstance(arg);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        } finally {
            FORMING.set(before);
        }
    }

    /**
     * One of the two threads to keep in step (a daemon, not started); other threads' {@code tryLock}s
     * are not held back. Locks the student's code makes on it are stepped too.
     */
    public synchronized Thread mover(String name, Runnable body) {
        int i = movers[0] == null ? 0 : 1;
        if (movers[i] != null) throw new IllegalStateException("two movers at most");
        LockStep before = FORMING.get();
        FORMING.set(this);   // inherited by the new thread
        try {
            Thread t = new Thread(body, name);
            t.setDaemon(true);
            movers[i] = t;
            started = System.nanoTime();
            return t;
        } finally {
            FORMING.set(before);
        }
    }

    /** Whether the threads failed {@value #ROUNDS} rounds in a row, each holding a lock the other tried. */
    public synchronized boolean livelocked() {
        return livelocked;
    }

    /** Whether stepping stopped before a verdict because the other thread did not come for {@value #MAX_MS} ms (a busy machine). */
    public synchronized boolean gaveUp() {
        return gaveUp;
    }

    /** Stops holding the threads back (after a verdict, or when the test ends). */
    public synchronized void release() {
        released = true;
        notifyAll();
    }

    private boolean attempt(Attempt a) throws InterruptedException {
        int me = moverIndex();
        if (me < 0) return a.run();
        synchronized (this) {
            trying[me] = true;
        }
        try {
            boolean paired = meet(me, 1);
            boolean ok = a.run();
            synchronized (this) {
                pairedBefore[me] = paired;
                got[me] = ok;
            }
            meet(me, 2);
            return ok;
        } finally {
            synchronized (this) {
                trying[me] = false;
            }
        }
    }

    private synchronized int moverIndex() {
        if (released) return -1;
        Thread t = Thread.currentThread();
        return t == movers[0] ? 0 : t == movers[1] ? 1 : -1;
    }

    /** Both have tried: a round in which both came to try together and both failed adds one. */
    private void count() {
        if (pairedBefore[0] && pairedBefore[1] && !got[0] && !got[1]) {
            mostFailedRounds = Math.max(mostFailedRounds, ++failedRounds);
            if (failedRounds >= ROUNDS) {
                livelocked = true;
                release();
            }
        } else {
            failedRounds = 0;
        }
    }

    /**
     * Waits until the other mover comes to a meeting too (true), or stays blocked or waiting
     * outside a {@code tryLock}, or has ended, or stepping stops, or this thread is interrupted
     * (false: it goes on alone, its interrupt kept for the code it runs). Phase 1 is before trying,
     * phase 2 after; two threads meeting after trying end a round.
     */
    private synchronized boolean meet(int me, int phase) {
        int other = 1 - me;
        if (released) return false;
        if (waiting == other) {            // the other is here: meet it
            if (phase == 2 && waitingPhase == 2) count();
            waiting = -1;
            meetings++;
            notifyAll();
            return true;
        }
        waiting = me;
        waitingPhase = phase;
        long met = meetings;
        long parkedSince = -1;
        long otherCpu = cpuTime(movers[other]);
        while (meetings == met) {
            if (released) break;
            if (System.nanoTime() - started > MAX_MS * 1_000_000) {
                gaveUp = true;
                release();
                break;
            }
            Thread o = movers[other];
            Thread.State s = o.getState();
            if (s == Thread.State.TERMINATED) break;
            // asleep (a pause before retrying) or in a timed wait of its own: it is not coming, go on at once
            if (s == Thread.State.TIMED_WAITING && !trying[other]) break;
            // blocked or waiting for a while on something other than this (a lock taken in order): not coming either
            boolean parked = !trying[other] && (s == Thread.State.BLOCKED || s == Thread.State.WAITING) && !waitsForThis(o);
            // running all along without coming (spinning on a flag of its own): it is busy elsewhere; on a busy
            // machine it gets little CPU and is waited for, since it has not had the chance to come
            long cpu = cpuTime(o);
            if (otherCpu < 0) otherCpu = cpu;   // not started yet when this one came: count from its first reading
            else if (cpu - otherCpu > BUSY_ELSEWHERE_NS) break;
            if (!parked) parkedSince = -1;
            else if (parkedSince < 0) parkedSince = System.nanoTime();
            else if (System.nanoTime() - parkedSince > PARKED_MS * 1_000_000) break;
            try {
                wait(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();   // an interrupted thread is not held back: the next meetings let it by at once
                break;
            }
        }
        if (meetings != met) return true;
        if (waiting == me) waiting = -1;
        return false;
    }

    /** CPU time of {@code t} in ns, or -1 before it starts (or where the JVM does not measure it). */
    private static long cpuTime(Thread t) {
        try {
            return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(t.threadId());
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    /** Whether {@code t} is blocked on this object's monitor: on its way into a meeting, not parked elsewhere. */
    private boolean waitsForThis(Thread t) {
        java.lang.management.ThreadInfo info = java.lang.management.ManagementFactory.getThreadMXBean().getThreadInfo(t.threadId());
        java.lang.management.LockInfo on = info == null ? null : info.getLockInfo();
        return on != null && on.getIdentityHashCode() == System.identityHashCode(this);
    }

    /** The most rounds in a row in which both failed (for the message). */
    public synchronized int mostFailedRounds() {
        return mostFailedRounds;
    }
}
