package org.threadlab.lesson;

import org.threadlab.display.Table;
import org.threadlab.display.Tabular;
import org.threadlab.interleave.Failure;
import org.threadlab.interleave.Interleaving;
import org.threadlab.interleave.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A synchronization puzzle judged under the schedule engine: the threads a student wrote, a rule
 * their shared state must keep at the end, and one verdict computed from the engine's search.
 * The verdict is one word a prediction can be checked against: {@code "holds"} (no interleaving
 * within the bound broke the rule or left a thread stuck), {@code "broken"} (an interleaving broke
 * the rule), {@code "stuck"} (in an interleaving the threads never finish: a deadlock, which
 * Lincheck 3.7 reports as a livelock when the threads wait in a {@code Semaphore} or a lock), or
 * {@code "threw"}. While an answer the threads are made of is blank ({@code null}), nothing runs
 * and the verdict is "not answered yet".
 *
 * <pre>{@code
 * class Signal { final Semaphore ready = new Semaphore(0); boolean a1, b1SawA1;
 *                void a1() { a1 = true; } void b1() { b1SawA1 = a1; } }
 * Body<Signal> threadA = s -> { s.a1(); s.ready.release(); };                      // ANSWER
 * Body<Signal> threadB = s -> { s.ready.acquireUninterruptibly(); s.b1(); };       // ANSWER
 * Puzzle.solve("a1 before b1", s -> s.b1SawA1, () -> interleave(Signal::new, threadA, threadB), threadA, threadB);
 * // a1 before b1: holds (no interleaving of the 200 tried broke the rule or left a thread stuck)
 * }</pre>
 *
 * The trace it shows keeps the steps of the puzzle's own code (and the switches between threads);
 * the steps inside the JDK's classes ({@code Semaphore}'s queue, {@code LockSupport.park}) are left
 * out, {@link Result#failure()} has them all.
 */
public final class Puzzle {
    private Puzzle() {}

    public static final String HOLDS = "holds";
    public static final String BROKEN = "broken";
    public static final String STUCK = "stuck";
    public static final String THREW = "threw";

    /** Interleavings the engine tries per puzzle unless told otherwise: enough for 2-3 threads of a few semaphore calls. */
    public static final int BOUND = 200;

    /**
     * Runs {@code threads} under the schedule engine (Lincheck, {@link #BOUND} interleavings) and
     * prints the verdict on the rule {@code holds}; prints "not answered yet" and runs nothing while
     * one of {@code answers} is null. {@code threads} is called only once every answer is given, so
     * it may name them: {@code () -> interleave(Signal::new, threadA, threadB)}.
     */
    public static <S> Result solve(String rule, Interleaving.Check<S> holds, Supplier<Interleaving<S>> threads, Object... answers) {
        return solve(rule, BOUND, holds, threads, answers);
    }

    /** {@link #solve(String, Interleaving.Check, Supplier, Object...)} trying at most {@code bound} interleavings. */
    public static <S> Result solve(String rule, int bound, Interleaving.Check<S> holds, Supplier<Interleaving<S>> threads, Object... answers) {
        if (rule == null || rule.isBlank()) throw new IllegalArgumentException("say the puzzle's rule in words, e.g. \"a1 before b1\"");
        if (holds == null) throw new IllegalArgumentException("give the rule as a check of the shared state, e.g. s -> s.b1SawA1");
        if (threads == null) throw new IllegalArgumentException("give the threads, e.g. () -> interleave(Signal::new, threadA, threadB)");
        if (answers != null) {
            for (Object a : answers) {
                if (a == null) {
                    Result r = new Result(rule, Quiz.NOT_ANSWERED, "write the code above (replace null), run its cell, then this one again",
                            bound, null);
                    System.out.println(r.sentence());
                    return r;
                }
            }
        }
        Interleaving<S> t = threads.get();
        if (t == null) throw new IllegalArgumentException("the threads supplier gave null: return interleave(...)");
        Failure f = t.invocations(bound).firstFailure(holds);
        Result r = of(rule, bound, f);
        System.out.println(r.sentence());
        return r;
    }

    /** The verdict a search's failure stands for. */
    static Result of(String rule, int bound, Failure f) {
        return switch (f.kind()) {
            case "none" -> new Result(rule, HOLDS, "no interleaving of the " + bound + " tried broke the rule or left a thread stuck", bound, f);
            case "invariant broken" -> new Result(rule, BROKEN, f.message().replaceFirst("^outcome ", ""), bound, f);
            case "deadlock", "livelock" -> new Result(rule, STUCK,
                    "the threads never finish: each waits (in acquire(), a lock or a loop) for a step no other thread will take", bound, f);
            case "exception" -> new Result(rule, THREW, f.message(), bound, f);
            default -> new Result(rule, f.kind(), f.message(), bound, f);
        };
    }

    /**
     * What the search found.
     *
     * @param rule    the puzzle's rule in words
     * @param verdict "holds", "broken", "stuck", "threw" or "not answered yet"
     * @param detail  the end state that broke the rule, or what the verdict means
     * @param bound   the interleavings the engine could try
     * @param failure the engine's answer, full trace included (null when nothing ran)
     */
    public record Result(String rule, String verdict, String detail, int bound, Failure failure) implements Tabular {

        /** Whether an interleaving broke the rule or left the threads stuck. */
        public boolean found() {
            return failure != null && failure.found();
        }

        /** "rule: verdict (detail)". */
        public String sentence() {
            return rule + ": " + verdict + " (" + detail + ")";
        }

        /** The failing interleaving, the puzzle's own steps only (empty when none was found). */
        public Trace steps() {
            if (failure == null) return new Trace(sentence(), List.of());
            List<Trace.Step> kept = new ArrayList<>();
            for (Trace.Step s : failure.trace().steps()) {
                boolean isSwitch = s.where() == null || s.where().isBlank();
                if (isSwitch) {
                    // one switch row between two threads' steps, none at the start or twice in a row
                    if (!kept.isEmpty() && !isSwitchRow(kept.get(kept.size() - 1))) kept.add(s);
                } else if (!inJdk(s.where())) {
                    kept.add(s);
                }
            }
            while (!kept.isEmpty() && isSwitchRow(kept.get(kept.size() - 1))) kept.remove(kept.size() - 1);
            return new Trace(sentence(), kept);
        }

        @Override
        public Table table() {
            List<List<String>> rows = new ArrayList<>();
            for (Trace.Step s : steps().steps()) rows.add(List.of(String.valueOf(s.number()), s.thread(), s.action(), s.values(), s.where()));
            String foot;
            if (failure == null) foot = "nothing ran yet";
            else if (!found()) foot = failure.how();
            else if (rows.isEmpty()) foot = "the engine found it but could not print the interleaving; " + failure.how();
            else foot = "the puzzle's own steps of the interleaving (steps inside Semaphore and other JDK classes left out); " + failure.how();
            return Table.of(List.of("step", "thread", "action", "values", "where"), rows).titled(sentence()).withFooter(foot);
        }

        @Override
        public String toString() {
            return table().toString();
        }

        private static boolean isSwitchRow(Trace.Step s) {
            return s.where() == null || s.where().isBlank();
        }
    }

    /** Packages whose classes' steps a puzzle's trace leaves out. */
    private static final String[] JDK_PACKAGES = {"java.lang.", "java.util.", "java.util.concurrent.", "java.util.concurrent.locks.",
            "java.util.concurrent.atomic."};

    /** Whether a step's place ("Semaphore.Sync.tryReleaseShared(Semaphore.java:195)") is in a JDK class. */
    static boolean inJdk(String where) {
        int open = where.lastIndexOf('(');
        int colon = where.indexOf(".java", open);
        String file = open >= 0 && colon > open ? where.substring(open + 1, colon) : where.split("[.(]")[0];
        if (file.isEmpty() || file.startsWith("$")) return false;
        for (String p : JDK_PACKAGES) {
            try {
                Class<?> c = Class.forName(p + file, false, null);
                if (c.getModule().isNamed() && c.getModule().getName().startsWith("java.")) return true;
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this package: try the next
            }
        }
        return false;
    }
}
