package org.threadlab.interleave;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the bodies on real threads, one segment at a time: a segment is what a thread does between
 * two {@link Interleaving#step()} marks. A baton (one monitor) says whose turn it is; the chooser
 * picks the next thread when a segment ends. This is the whole of the replay: Lincheck's public API
 * cannot be told which interleaving to run, so replays happen at the points the code marks.
 */
final class Replay<S> {
    private static final ThreadLocal<Replay<?>.Worker> CURRENT = new ThreadLocal<>();
    /** When nothing moves this long, the run is reported as stuck (a deadlock in the replayed order). */
    static final long STUCK_NANOS = 2_000_000_000L;

    private final Interleaving<S> spec;
    private final Object baton = new Object();
    private final boolean[] done;
    private final List<Trace.Step> steps = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int turn = -1;
    private long lastMove = System.nanoTime();
    private S state;

    interface Chooser {
        /** The thread to run next, given how many segments ran and which threads are done (-1 when all are). */
        int next(int segmentsDone, boolean[] done);

        /** What the chooser had to correct (a letter naming a finished thread). */
        default List<String> problems() {
            return List.of();
        }
    }

    private final Chooser choose;

    Replay(Interleaving<S> spec, Chooser choose) {
        this.spec = spec;
        this.choose = choose;
        this.done = new boolean[spec.bodies().size()];
    }

    /** Called by Interleaving.step() from the user's code: ends this thread's segment when under a replay. */
    static void stepMark() {
        Replay<?>.Worker w = CURRENT.get();
        if (w != null) w.segmentEnds(false, null);
    }

    final class Worker implements Runnable {
        final int index;

        Worker(int index) {
            this.index = index;
        }

        @Override
        public void run() {
            CURRENT.set(this);
            try {
                synchronized (baton) {
                    while (turn != index) baton.wait();
                }
                spec.bodies().get(index).accept(state);
                segmentEnds(true, null);
            } catch (InterruptedException e) {
                // the run was abandoned (stuck or interrupted): end quietly
            } catch (Abandoned e) {
                // idem, raised from inside a step() of the user's code
            } catch (Throwable t) {
                segmentEnds(true, t);
            } finally {
                CURRENT.remove();
            }
        }

        void segmentEnds(boolean finished, Throwable thrown) {
            String where = finished ? "(end of thread)" : caller();
            synchronized (baton) {
                String action = thrown != null ? "threw " + thrown : finished ? "runs to its end" : "runs up to step()";
                steps.add(new Trace.Step(steps.size() + 1, Interleaving.letter(index), where, action, spec.describe(state)));
                if (finished) done[index] = true;
                turn = choose.next(steps.size(), done);
                lastMove = System.nanoTime();
                baton.notifyAll();
                if (finished) return;
                try {
                    while (turn != index) baton.wait();
                } catch (InterruptedException e) {
                    throw new Abandoned();
                }
            }
        }
    }

    /** Unwinds a thread whose run was given up. */
    static final class Abandoned extends RuntimeException {
        Abandoned() {
            super("replay abandoned", null, false, false);
        }
    }

    private static String caller() {
        return StackWalker.getInstance().walk(s -> s
                .filter(f -> !f.getClassName().startsWith("org.threadlab.interleave.") && !f.getClassName().equals("org.threadlab.ThreadLab"))
                .findFirst().map(f -> org.threadlab.display.Names.clean(f.getClassName()) + "." + f.getMethodName()
                        + "(" + f.getFileName() + ":" + f.getLineNumber() + ")").orElse("?"));
    }

    /** Runs once; returns the trace, the outcome and what went wrong (a stuck thread, a bad letter). */
    Run run(String scheduleText) throws InterruptedException {
        state = spec.setup().get();
        int n = done.length;
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            threads[i] = new Thread(new Worker(i), "interleave-" + Interleaving.letter(i));
            threads[i].setDaemon(true);   // a thread stuck in a lock cycle must not keep the JVM alive
            threads[i].start();
        }
        boolean stuck = false;
        synchronized (baton) {
            turn = choose.next(0, done);
            lastMove = System.nanoTime();
            baton.notifyAll();
            while (!allDone()) {
                long left = lastMove + STUCK_NANOS - System.nanoTime();
                if (left <= 0) {
                    stuck = true;
                    break;
                }
                baton.wait(Math.max(1, left / 1_000_000));
            }
        }
        if (stuck) {
            Thread t = threads[turn];
            problems.add("stuck: the schedule gives the turn to thread " + Interleaving.letter(turn) + ", which is "
                    + t.getState() + describeBlock(t) + "; nothing moved for " + STUCK_NANOS / 1_000_000 + " ms"
                    + " (a deadlock in this order; threads blocked on a monitor stay blocked as daemon threads)");
            for (Thread x : threads) x.interrupt();
        }
        for (Thread x : threads) x.join(100);
        List<Trace.Step> copy;
        synchronized (baton) {
            copy = new ArrayList<>(steps);
        }
        String outcome = stuck ? "stuck" : spec.describeOutcome(state);
        problems.addAll(choose.problems());
        return new Run(scheduleText, outcome, new Trace("schedule " + scheduleText + " -> " + outcome, copy), problems);
    }

    private boolean allDone() {
        for (boolean d : done) if (!d) return false;
        return true;
    }

    private static String describeBlock(Thread t) {
        StackTraceElement[] st = t.getStackTrace();
        return st.length > 0 ? " at " + st[0] : "";
    }

}
