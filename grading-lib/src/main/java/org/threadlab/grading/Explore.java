package org.threadlab.grading;

import org.threadlab.interleave.Failure;
import org.threadlab.interleave.Interleaving;
import org.threadlab.interleave.Trace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tests of races, deadlocks and lost wake-ups that do not wait for luck: the student's objects run
 * under the schedule engine (Lincheck's model checker, {@link Interleaving}), which tries the
 * interleavings itself. A failure names what went wrong, shows the interleaving as a table, and
 * gives the one line to paste into the notebook to see it again (the engine's search is
 * deterministic, so the same line finds the same interleaving).
 *
 * <pre>{@code
 * Explore.noFailure("two opposite transfers",
 *         "interleave(() -> new Scenarios.Transfers(" + Explore.className(open.apply(0)) + "::new), Scenarios.Transfers::aToB, "
 *                 + "Scenarios.Transfers::bToA).firstFailure(s -> s.total() == 200)",
 *         Interleaving.of(() -> new Scenarios.Transfers(open), Scenarios.Transfers::aToB, Scenarios.Transfers::bToA),
 *         s -> s.total() == 200, open);
 * }</pre>
 */
public final class Explore {
    private Explore() {}

    /** Most steps of an interleaving shown in a failure (the first few and the last ones). */
    static final int SHOWN_STEPS = 24;

    /**
     * Fails with the interleaving when the engine finds one after which {@code invariant} is false,
     * or that deadlocks, never ends or throws. {@code madeBy} is the student's factory (its class
     * loader holds the classes to send to the engine's JVM).
     */
    public static <S> void noFailure(String what, String paste, Interleaving<S> threads, Interleaving.Check<S> invariant, Object madeBy) {
        // one real interleaving first, in this JVM: a stub or a plainly wrong answer fails there,
        // and the engine's JVM (seconds to start) is left for what only it can judge
        String alone = threads.failsOneAfterAnother(invariant, Duration.ofSeconds(2));
        if (alone != null) {
            throw new AssertionError("With the threads run one after another (A to its end, then B, ...), which is one of the "
                    + "interleavings, " + what + ": " + TestRunner.cleanNames(alone) + ".\nReplay it in your notebook: " + paste);
        }
        Failure f;
        try {
            f = threads.classesFrom(madeBy.getClass().getClassLoader()).timeout(Duration.ofSeconds(90)).firstFailure(invariant);
        } catch (RuntimeException e) {
            // the engine's JVM ran out of time (a machine busy many times over): nothing was judged, so no points either way
            if (String.valueOf(e.getMessage()).contains("did not finish within")) {
                throw new org.opentest4j.TestAbortedException("the machine was too busy for the schedule engine to finish its search "
                        + "within 90 s (" + what + ")");
            }
            throw e;
        }
        if (!f.found()) return;
        throw new AssertionError(words(what, f) + "\nReplay it in your notebook: " + paste + "\n" + table(f.trace()));
    }

    /** The failure in one sentence. */
    static String words(String what, Failure f) {
        String how = switch (f.kind()) {
            case "deadlock" -> "DEADLOCK: every thread waits for another, forever";
            // Lincheck's loop bound: a retry loop that never gets on, or threads parked on locks held in a cycle
            case "livelock" -> "the threads never finish: a DEADLOCK (threads waiting for each other's locks), an endless loop, "
                    + "or a livelock (they keep retrying and nobody gets on)";
            case "exception" -> "a thread threw";
            case "invariant broken" -> "the result is wrong";
            case "not controlled" -> "the engine could not control this code";
            default -> f.kind();
        };
        return "Under the schedule engine (it tries the interleavings itself, so this fails on every run), " + what + ": " + how
                + (f.message().isBlank() ? "" : " (" + TestRunner.cleanNames(f.message()) + ")") + ".";
    }

    /** The interleaving as a compact table: step, thread, what it did, where. */
    static String table(Trace t) {
        List<Trace.Step> steps = t.steps();
        List<String> lines = new ArrayList<>();
        lines.add("step thr  action  (where)");
        for (int i = 0; i < steps.size(); i++) {
            if (steps.size() > SHOWN_STEPS && i == 4) {
                lines.add(" ...  (" + (steps.size() - SHOWN_STEPS) + " steps left out)");
                i = steps.size() - (SHOWN_STEPS - 4);
            }
            Trace.Step s = steps.get(i);
            String where = s.where() == null || s.where().isBlank() ? "" : "  (" + TestRunner.cleanNames(s.where()) + ")";
            String values = s.values() == null || s.values().isBlank() ? "" : "  [" + TestRunner.cleanNames(s.values()) + "]";
            lines.add(String.format(java.util.Locale.ROOT, "%4d  %s   %s%s%s", s.number(), s.thread(),
                    TestRunner.cleanNames(s.action()), values, where));
        }
        return String.join("\n", lines);
    }

    /** The simple name of an object's class as the student wrote it ("BankAccount", not REPL.$JShell$12$BankAccount). */
    public static String className(Object o) {
        String n = TestRunner.cleanNames(o.getClass().getName());
        int dot = n.lastIndexOf('.');
        n = dot >= 0 ? n.substring(dot + 1) : n;
        int dollar = n.lastIndexOf('$');
        return dollar >= 0 && dollar < n.length() - 1 ? n.substring(dollar + 1) : n;
    }
}
