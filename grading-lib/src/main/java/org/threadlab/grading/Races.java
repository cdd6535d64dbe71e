package org.threadlab.grading;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Helpers for tests that must catch races: many threads released at the same instant, so that
 * an unsafe implementation fails on nearly every run rather than on a lucky one.
 */
public final class Races {
    private Races() {}

    /** The work of one racing thread; {@code i} is its number, 0 to threads - 1. */
    @FunctionalInterface
    public interface Task {
        void run(int i) throws Exception;
    }

    /**
     * Runs {@code task} on {@code threads} new threads released together by a latch and waits for
     * all of them. The first exception a thread throws is rethrown here (unchecked ones as they
     * are, so the student sees their own exception). The threads are daemons: if the test times
     * out on a deadlock they are abandoned without keeping the JVM alive.
     */
    public static void race(int threads, Task task) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int n = i;
            ts[i] = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    task.run(n);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "grading-worker-" + i);
            ts[i].setDaemon(true);
        }
        for (Thread t : ts) t.start();
        try {
            ready.await();
            go.countDown();
            for (Thread t : ts) {
                while (t.isAlive()) {
                    t.join(100);
                    String dl = deadlock(ts);
                    if (dl != null) throw new AssertionError(dl);
                }
            }
        } catch (InterruptedException e) {
            for (Thread t : ts) t.interrupt();
            throw e;
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException r) throw r;
        if (f instanceof Error err) throw err;
        if (f instanceof InterruptedException ie) throw ie;
        if (f != null) throw new IllegalStateException(f.getClass().getSimpleName() + ": " + f.getMessage(), f);
    }

    /**
     * A deadlock among {@code threads}, in plain words, or null. Checked while waiting, so a
     * deadlocked test fails at once with the locks named instead of running into its time limit.
     */
    static String deadlock(Thread[] threads) {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] ids = mx.findDeadlockedThreads();
        if (ids == null) return null;
        java.util.Set<Long> ours = new java.util.HashSet<>();
        for (Thread t : threads) ours.add(t.threadId());
        java.lang.management.ThreadInfo[] infos = mx.getThreadInfo(ids, Integer.MAX_VALUE);
        for (java.lang.management.ThreadInfo ti : infos) {
            // A cycle through a tryLock with a timeout dissolves by itself when the timeout expires:
            // that is the back-off fix working, not a deadlock.
            if (ti != null && ti.getThreadState() == Thread.State.TIMED_WAITING) return null;
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (java.lang.management.ThreadInfo ti : infos) {
            if (ti == null || !ours.contains(ti.getThreadId())) continue;
            String at = TestRunner.studentFrame(ti.getStackTrace());
            parts.add(ti.getThreadName() + (at != null ? " in " + at : "") + " waits for a lock held by " + ti.getLockOwnerName());
            if (parts.size() == 2) break;
        }
        if (parts.isEmpty()) return null;
        return "DEADLOCK — " + String.join("; ", parts)
                + ". Threads take the same locks in different orders; always lock in one fixed order (e.g. by account id).";
    }

    /** Starts {@code body} on a daemon thread named {@code name} and returns it. */
    public static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
