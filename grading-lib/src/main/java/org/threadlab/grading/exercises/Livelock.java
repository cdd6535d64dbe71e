package org.threadlab.grading.exercises;

import org.threadlab.grading.LockStep;

import org.opentest4j.TestAbortedException;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Two opposite transfers (or two philosophers at a table of two) kept in step at every {@code tryLock}, on real threads
 * ({@link LockStep}): a back-off that lets go of its first lock and retries at once fails on every
 * run, where chance seldom keeps the two threads in step and the schedule engine's bounded
 * switching always lets one of them finish. The schedule forced is one the JVM may pick on its
 * own: each transfer holds its first lock while the other tries it, both fail, both let go, both
 * take their first lock again.
 *
 * <p>It judges only what it saw: the copy of the student's class could not be made, a transfer
 * threw, or the threads deadlocked: null, and the other tests judge. A {@code tryLock} never waits
 * for a thread that is blocked or sleeping, so locks taken in one order, or a random pause before
 * retrying, finish here.
 *
 * <pre>{@code
 * String live = Livelock.find(Branch::new);   // null, or the livelock in words
 * String table = Livelock.findAtTable(DiningTable::new);   // two philosophers, the same way
 * }</pre>
 */
public final class Livelock {
    private Livelock() {}

    /** What a machine too busy to keep the two threads in step gets (the test then judges nothing). */
    public static final String TOO_BUSY = "too busy";

    /**
     * The livelock in words; {@link #TOO_BUSY} when the machine let one thread wait for the other
     * longer than stepping allows; null when the transfers finished, or could not be judged here.
     */
    public static String find(IntFactory<Bank> open) throws InterruptedException {
        LockStep step = new LockStep();
        Bank bank = step.copyOf(open.apply(2).getClass(), int.class, 2);
        if (bank == null) return null;
        return find(step, TRANSFERS, () -> bank.transfer(0, 1, 300), () -> bank.transfer(1, 0, 200));
    }

    /**
     * The same for a table of two philosophers (dining-philosophers), each dining once: philosopher 0's
     * right fork is philosopher 1's left, and the other way round, so each can hold the fork the
     * other tries.
     */
    public static String findAtTable(IntFactory<Dinner> seat) throws InterruptedException {
        LockStep step = new LockStep();
        Dinner table = step.copyOf(seat.apply(2).getClass(), int.class, 2);
        if (table == null) return null;
        return find(step, PHILOSOPHERS, () -> table.dine(0, () -> { }), () -> table.dine(1, () -> { }));
    }

    /** The same for two accounts of the bank-account exercise: a transfers 30 to b while b transfers 20 to a. */
    public static String find(LongFactory<Account> open) throws InterruptedException {
        LockStep step = new LockStep();
        Class<?> type = open.apply(100).getClass();
        Account a = step.copyOf(type, long.class, 100L), b = step.copyOf(type, long.class, 100L);
        if (a == null || b == null) return null;
        return find(step, ACCOUNT_TRANSFERS, () -> a.transfer(b, 30), () -> b.transfer(a, 20));
    }

    /** Fails with the livelock, judges nothing on a machine too busy to keep the threads in step, and passes otherwise. */
    public static void judge(String found) {
        if (TOO_BUSY.equals(found)) {
            throw new TestAbortedException("the machine was too busy to keep the two threads in step (one waited "
                    + LockStep.MAX_SECONDS + " s for the other to run): it cannot tell whether they livelock");
        }
        if (found != null) throw new AssertionError(found);
    }

    private interface Move {
        void run() throws Exception;
    }

    /** The words of one exercise's story: its two threads, what they lock, and the one order that cures it. */
    private record Story(String threadA, String threadB, String each, String both, String lock, String order) {}

    private static final Story TRANSFERS = new Story("transfer A", "transfer B", "transfer", "the two opposite transfers",
            "lock", "the lower-numbered account's first");
    private static final Story ACCOUNT_TRANSFERS = new Story("transfer A", "transfer B", "transfer", "the two opposite transfers",
            "lock", "for instance by a number each account gets when it opens");
    private static final Story PHILOSOPHERS = new Story("philosopher 0", "philosopher 1", "philosopher", "the two philosophers",
            "fork", "the lower-numbered fork first");

    private static String find(LockStep step, Story story, Move one, Move other) throws InterruptedException {
        AtomicReference<Throwable> threw = new AtomicReference<>();
        Thread a = step.mover(story.threadA(), () -> move(one, threw));
        Thread b = step.mover(story.threadB(), () -> move(other, threw));
        a.start();
        b.start();
        try {
            // a deadlock (both parked, nobody trying) ends the wait early: not this test's to judge
            long end = System.nanoTime() + 30_000_000_000L, parkedSince = -1;
            while ((a.isAlive() || b.isAlive()) && !step.livelocked() && !step.gaveUp() && System.nanoTime() < end) {
                boolean parked = parked(a) && parked(b);
                if (!parked) parkedSince = -1;
                else if (parkedSince < 0) parkedSince = System.nanoTime();
                else if (System.nanoTime() - parkedSince > 2_000_000_000L) break;
                a.join(5);
            }
            if (step.livelocked()) {
                return "On real threads, in an order the test forced (each " + story.each() + " takes its first " + story.lock()
                        + "; both try the other's " + story.lock() + " at the same moment and fail; both let go and start again), "
                        + story.both() + " went round " + step.mostFailedRounds() + " times in a row and neither got on: a LIVELOCK. "
                        + "Letting go and retrying at once can keep two threads in step for ever, each undoing what the other needs; "
                        + "take the two " + story.lock() + "s in one global order (" + story.order() + "): then two " + story.each()
                        + "s can never each hold the " + story.lock() + " the other needs.";
            }
            if (step.gaveUp() && threw.get() == null) return TOO_BUSY;
            return null;
        } finally {
            // released, a livelock's threads usually get on by themselves; a deadlock's need the interrupt
            boolean live = step.livelocked();
            step.release();
            if (live) {
                a.join(5_000);
                b.join(5_000);
            }
            a.interrupt();
            b.interrupt();
            a.join(2_000);
            b.join(2_000);
        }
    }

    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.BLOCKED;
    }

    private static void move(Move m, AtomicReference<Throwable> threw) {
        try {
            m.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            threw.compareAndSet(null, e);
        }
    }
}
