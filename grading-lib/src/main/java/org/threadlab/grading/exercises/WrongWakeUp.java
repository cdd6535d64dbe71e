package org.threadlab.grading.exercises;

import org.threadlab.grading.Gate;
import org.threadlab.grading.Races;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code notify()} that wakes a thread of the wrong kind, forced on real threads. In a buffer of
 * capacity 1 that waits on its own monitor: consumer 1 waits, then consumer 2 waits; the producer,
 * holding the buffer's monitor, puts 1 (its wake-up goes to consumer 1, which cannot run yet) and
 * then 2 into the full buffer, so it waits too and lets consumer 1 in. Consumer 1 takes 1 and
 * wakes one waiter. HotSpot keeps a monitor's waiting threads in arrival order and {@code notify()}
 * wakes the first (an implementation choice the JLS leaves open): consumer 2, which finds the
 * buffer empty and waits again, while the producer, the one thread that could go on, is never woken.
 *
 * <p>The order only decides which thread a single {@code notify()} wakes; every state the test
 * waits for is observed (each thread waiting on the buffer's monitor before the next step), and
 * it fails only on a state no code can leave: every thread it started has ended or waits, untimed,
 * on the buffer's monitor, for a second, with nobody left to notify. {@code notifyAll()}, or two
 * {@code Condition}s, or semaphores, finish; a buffer that does not wait on its own monitor is left
 * to the schedule engine (null). So it can only fail an answer that loses a wake-up.
 *
 * <pre>{@code
 * String lost = WrongWakeUp.find(BoundedBuffer::new);   // null, or the lost wake-up in words
 * }</pre>
 */
public final class WrongWakeUp {
    private WrongWakeUp() {}

    /** How long every thread must stay waiting, with nobody left to wake them, to call it stuck. */
    static final long STUCK_MS = 1_000;

    /** The lost wake-up in words, or null when the threads finished or the buffer does not wait on its own monitor. */
    public static String find(IntFactory<Buffer<Integer>> make) throws InterruptedException {
        Buffer<Integer> buf = make.apply(1);
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        Thread c1 = Races.daemon("consumer-1", () -> take(buf));
        Thread c2 = null, p = null;
        try {
            if (!waitingOn(c1, buf)) return null;
            c2 = Races.daemon("consumer-2", () -> take(buf));
            if (!waitingOn(c2, buf)) return null;
            p = Races.daemon("producer", () -> {
                try {
                    synchronized (buf) {
                        buf.put(1);
                        buf.put(2);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            if (!waitingOn(p, buf)) return null;
            c1.join(10_000);
            if (c1.isAlive()) return null;
            if (!stuck(List.of(c2, p), before, buf)) return null;
            return "On real threads, in an order the test forced (consumer 1 waits, then consumer 2 waits; the producer puts 1, "
                    + "then 2 into the full buffer of capacity 1, so it waits too; consumer 1 takes 1 and its notify() wakes one waiting "
                    + "thread: consumer 2, the one waiting longest, though only the producer could go on), consumer 2 and the producer "
                    + "now wait forever with nobody left to wake them: a LOST WAKE-UP. notify() wakes one waiting thread, which may be "
                    + "of the wrong kind; use notifyAll(), or a Lock with two Conditions (notFull, notEmpty).";
        } finally {
            for (Thread t : new Thread[]{c1, c2, p}) if (t != null) t.interrupt();
            for (Thread t : new Thread[]{c1, c2, p}) if (t != null) t.join(2_000);
        }
    }

    private static void take(Buffer<Integer> buf) {
        try {
            buf.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether t comes to wait, untimed, on obj's monitor (Object.wait), within 10 s; false as soon as it waits on anything else. */
    static boolean waitingOn(Thread t, Object obj) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (!t.isAlive()) return false;
            if (!Gate.waitUntilWaiting(t, 1_000)) continue;
            if (inWaitOn(t, obj)) return true;
            ThreadInfo ti = ManagementFactory.getThreadMXBean().getThreadInfo(t.threadId());
            LockInfo on = ti == null ? null : ti.getLockInfo();
            if (t.getState() != Thread.State.BLOCKED && on != null && on.getIdentityHashCode() != System.identityHashCode(obj)) {
                return false;  // a semaphore, a Condition, a lock of its own: not the buffer's monitor
            }
        }
        return false;
    }

    private static boolean inWaitOn(Thread t, Object obj) {
        if (t.getState() != Thread.State.WAITING) return false;
        ThreadInfo ti = ManagementFactory.getThreadMXBean().getThreadInfo(t.threadId());
        LockInfo on = ti == null ? null : ti.getLockInfo();
        return on != null && on.getIdentityHashCode() == System.identityHashCode(obj) && on.getClassName().equals(obj.getClass().getName())
                && ti.getLockOwnerId() == -1;
    }

    /**
     * Whether the waiting threads stay waiting on obj's monitor for {@link #STUCK_MS} ms while every
     * other thread started since {@code before} has ended or waits untimed (within 10 s).
     */
    static boolean stuck(List<Thread> waiting, Set<Thread> before, Object obj) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        long since = -1;
        while (System.nanoTime() < end) {
            boolean all = true;
            for (Thread t : waiting) all &= inWaitOn(t, obj);
            if (all) {
                Set<Thread> others = new HashSet<>(Thread.getAllStackTraces().keySet());
                others.removeAll(before);
                others.removeAll(waiting);
                others.remove(Thread.currentThread());
                for (Thread o : others) all &= o.getState() == Thread.State.WAITING || !o.isAlive();
            }
            if (!all) {
                if (waiting.stream().anyMatch(t -> !t.isAlive())) return false;
                since = -1;
            } else if (since < 0) {
                since = System.nanoTime();
            } else if (System.nanoTime() - since > STUCK_MS * 1_000_000) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }
}
