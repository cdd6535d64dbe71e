package org.threadlab.grading.exercises;

import org.threadlab.grading.Races;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the tests of stoppable-service hand a service and watch it with, so that each situation is
 * forced rather than hoped for: a job that holds the worker until the test lets it go, and a
 * thread that calls {@code stop()} and notes what it saw at the moment {@code stop()} returned.
 */
public final class ServiceProbes {
    private ServiceProbes() {}

    /**
     * A job that notes its thread, says it started, and then waits until {@code release} opens,
     * ignoring interrupts meanwhile (a job that does not react to them); it passes the interrupt
     * on when it ends, as a well-behaved job does.
     */
    public static final class HeldJob implements Runnable {
        public final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch release;
        public volatile Thread thread;
        public volatile boolean finished;
        public volatile boolean interrupted;

        public HeldJob(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            started.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);   // never holds a thread for ever
            while (System.nanoTime() < end) {
                try {
                    if (release.await(100, TimeUnit.MILLISECONDS)) break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            finished = true;
            if (interrupted) Thread.currentThread().interrupt();
        }

        /** Waits (at most 10 s) until the worker has begun this job. */
        public boolean awaitStart() throws InterruptedException {
            return started.await(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A started service whose worker runs one {@link HeldJob}, held until {@code gate} opens, and a
     * thread calling {@code stop()} meanwhile: the situation "stop() while a job runs", forced.
     */
    public record StopWhileBusy(StoppableService service, CountDownLatch gate, HeldJob job, Stopper stopper) {
        /** Starts a service from {@code make}, submits the held job, waits until it runs, then calls stop(). */
        public static StopWhileBusy start(Make<StoppableService> make) throws InterruptedException {
            StoppableService s = make.get();
            s.start();
            CountDownLatch gate = new CountDownLatch(1);
            HeldJob job = new HeldJob(gate);
            s.submit(job);
            org.junit.jupiter.api.Assertions.assertTrue(job.awaitStart(), "the job submitted did not start within 10 s");
            return new StopWhileBusy(s, gate, job, Stopper.start(s, job));
        }
    }

    /** What {@code stop()} returned and what was true at that moment. */
    public static final class Stopper {
        public final Thread thread;
        public volatile boolean returned;
        public volatile List<Runnable> left;
        public volatile Throwable threw;
        /** The calling thread's interrupt status when stop() returned. */
        public volatile boolean interruptedAtReturn;
        /** Whether the job (when one was given) had finished when stop() returned. */
        public volatile boolean jobFinishedAtReturn;

        private Stopper(StoppableService service, HeldJob job) {
            thread = Races.daemon("grading-stopper", () -> {
                try {
                    List<Runnable> l = service.stop();
                    interruptedAtReturn = Thread.currentThread().isInterrupted();
                    if (job != null) jobFinishedAtReturn = job.finished;
                    left = l;
                    returned = true;
                } catch (Throwable e) {
                    threw = e;
                }
            });
        }

        /** Calls {@code service.stop()} on a new daemon thread named grading-stopper. */
        public static Stopper start(StoppableService service) {
            return new Stopper(service, null);
        }

        /** The same, noting {@code job}'s state when stop() returns. */
        public static Stopper start(StoppableService service, HeldJob job) {
            return new Stopper(service, job);
        }

        /** Waits up to {@code ms} for stop() to return; true when it did (rethrows what it threw). */
        public boolean awaitReturn(long ms) throws InterruptedException {
            thread.join(ms);
            Throwable t = threw;
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException("stop() threw " + t, t);
            return returned;
        }
    }

    /** Names what stop() returned in words: "the 2nd job", or the class of an object that is no job submitted. */
    public static String describe(List<Runnable> returned, List<Runnable> submitted) {
        if (returned == null) return "null";
        StringBuilder b = new StringBuilder("[");
        for (Runnable r : returned) {
            if (b.length() > 1) b.append(", ");
            int i = -1;
            for (int k = 0; k < submitted.size(); k++) if (submitted.get(k) == r) i = k;
            b.append(i >= 0 ? "the job submitted " + ordinal(i + 1) : r == null ? "null" : "a " + r.getClass().getSimpleName() + " (not a job submitted)");
        }
        return b.append(']').toString();
    }

    private static String ordinal(int n) {
        return n + (n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th");
    }
}
