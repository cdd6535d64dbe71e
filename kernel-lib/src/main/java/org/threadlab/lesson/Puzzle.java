package org.threadlab.lesson;

import org.threadlab.display.Table;
import org.threadlab.display.Tabular;
import org.threadlab.interleave.Failure;
import org.threadlab.interleave.Interleaving;
import org.threadlab.interleave.Trace;

import java.util.ArrayList;
import java.util.List;

/**
 * A synchronization puzzle judged under the schedule engine: the threads a student wrote, a rule
 * their shared state must keep once they have all finished, and one verdict computed from the
 * engine's search. The verdict is one word a prediction can be checked against: {@code "holds"}
 * (no interleaving within the bound broke the rule or left a thread stuck), {@code "broken"} (an
 * interleaving broke the rule), {@code "stuck"} (in an interleaving the threads never finish: a
 * deadlock, which Lincheck 3.7 reports as a livelock when the threads wait in a {@code Semaphore}
 * or a lock), or {@code "threw"}. While a thread or the setup is blank ({@code null}, an answer
 * not given yet), nothing runs and the verdict is "not answered yet".
 *
 * <pre>{@code
 * class Signal { final Semaphore ready = new Semaphore(0); boolean a1, b1SawA1;
 *                void a1() { a1 = true; } void b1() { b1SawA1 = a1; } }
 * Body<Signal> threadA = s -> { s.a1(); s.ready.release(); };                      // ANSWER
 * Body<Signal> threadB = s -> { s.ready.acquireUninterruptibly(); s.b1(); };       // ANSWER
 * Puzzle.solve("a1 before b1", s -> s.b1SawA1, Signal::new, threadA, threadB);
 * // a1 before b1: holds (no interleaving of the 100 tried broke the rule or left a thread stuck)
 * }</pre>
 *
 * The last thread to finish checks the rule and throws when it is broken: a broken rule is then
 * an exception of the run, which the engine reports with its interleaving without replaying
 * schedules on real threads (a replay of an order that waits forever would leave threads parked in
 * {@code acquireUninterruptibly()} behind). The trace it shows keeps the steps of the puzzle's own
 * code (and the switches between threads); steps inside the JDK's classes ({@code Semaphore}'s
 * queue, {@code LockSupport.park}) and this class's are left out, {@link Result#failure()} has them all.
 */
public final class Puzzle {
    private Puzzle() {}

    public static final String HOLDS = "holds";
    public static final String BROKEN = "broken";
    public static final String STUCK = "stuck";
    public static final String THREW = "threw";

    /**
     * Interleavings the engine tries per puzzle. Lecture 17's wrong answers (2-3 threads, a few
     * semaphore calls, two rounds of a barrier) are each found within the first 10; a search that
     * finds nothing costs time in proportion to the bound, and every puzzle's search is one of many.
     */
    public static final int BOUND = 100;

    /**
     * Runs {@code threads} (A, B, ... in this order), sharing what {@code setup} makes, under the
     * schedule engine (Lincheck, {@link #BOUND} interleavings) and prints the verdict on the rule
     * {@code holds}; prints "not answered yet" and runs nothing while {@code setup} or a thread is null.
     */
    @SafeVarargs
    public static <S> Result solve(String rule, Interleaving.Check<S> holds, Interleaving.Setup<S> setup, Interleaving.Body<S>... threads) {
        return solve(rule, holds, setup, threads == null ? null : java.util.Arrays.asList(threads));
    }

    /** {@link #solve(String, Interleaving.Check, Interleaving.Setup, Interleaving.Body[])} with the threads in a list. */
    public static <S> Result solve(String rule, Interleaving.Check<S> holds, Interleaving.Setup<S> setup, List<Interleaving.Body<S>> threads) {
        if (rule == null || rule.isBlank()) throw new IllegalArgumentException("say the puzzle's rule in words, e.g. \"a1 before b1\"");
        if (holds == null) throw new IllegalArgumentException("give the rule as a check of the shared state, e.g. s -> s.b1SawA1");
        if (threads == null || threads.isEmpty() || threads.size() > 26) {
            throw new IllegalArgumentException("give 1 to 26 threads, e.g. Puzzle.solve(\"a1 before b1\", s -> s.b1SawA1, Signal::new, threadA, threadB)");
        }
        if (setup == null || threads.contains(null)) {
            Result r = new Result(rule, Quiz.NOT_ANSWERED, "write the code above (replace null), run its cell, then this one again", BOUND, null);
            System.out.println(r.sentence());
            return r;
        }
        Failure f = judged(setup, holds, threads).invocations(BOUND).firstFailure();
        Result r = of(rule, BOUND, f);
        System.out.println(r.sentence());
        return r;
    }

    /** The threads, each counting itself out when done; the last one checks the rule. */
    @SuppressWarnings("unchecked")
    static <S> Interleaving<Run<S>> judged(Interleaving.Setup<S> setup, Interleaving.Check<S> holds, List<Interleaving.Body<S>> threads) {
        int n = threads.size();
        Interleaving.Body<Run<S>>[] wrapped = new Interleaving.Body[n];
        for (int i = 0; i < n; i++) {
            Interleaving.Body<S> body = threads.get(i);
            wrapped[i] = run -> {
                body.accept(run.state);
                if (run.finished.incrementAndGet() == n && !holds.test(run.state)) throw new RuleBroken(describe(run.state));
            };
        }
        Interleaving.Setup<Run<S>> made = () -> new Run<>(setup.get());
        // the threads are this class's lambdas: the notebook's classes they call are found through the student's own
        return Interleaving.of(made, wrapped).classesFrom(threads.get(0).getClass().getClassLoader());
    }

    /** One run's shared state and how many threads have finished. */
    static final class Run<S> implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final S state;
        final java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();

        Run(S state) {
            this.state = state;
        }

        @Override
        public String toString() {
            return describe(state);
        }
    }

    /** The state's own toString(), else its fields: "a1Done=true, b1SawA1=false". */
    static String describe(Object state) {
        if (state == null) return "null";
        try {
            if (state.getClass().getMethod("toString").getDeclaringClass() != Object.class) return String.valueOf(state);
        } catch (NoSuchMethodException e) {
            // every class has toString()
        }
        StringBuilder b = new StringBuilder();
        for (Class<?> c = state.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) continue;
                try {
                    f.setAccessible(true);
                    if (!b.isEmpty()) b.append(", ");
                    b.append(f.getName()).append('=').append(f.get(state));
                } catch (RuntimeException | IllegalAccessException e) {
                    // a field this class may not read: left out
                }
            }
        }
        return b.toString();
    }

    /** Thrown by the last thread to finish when the rule does not hold; its message is the end state. */
    static final class RuleBroken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RuleBroken(String state) {
            super(state, null, false, false);
        }
    }

    private static final String RULE_BROKEN = RuleBroken.class.getSimpleName() + ": ";

    /** The verdict a search's failure stands for. */
    static Result of(String rule, int bound, Failure f) {
        return switch (f.kind()) {
            case "none" -> new Result(rule, HOLDS, "no interleaving of the " + bound + " tried broke the rule or left a thread stuck", bound, f);
            case "invariant broken" -> new Result(rule, BROKEN, f.message().replaceFirst("^outcome ", ""), bound, f);
            case "deadlock", "livelock" -> new Result(rule, STUCK,
                    "the threads never finish: each waits (in acquire(), a lock or a loop) for a step no other thread will take", bound, f);
            case "exception" -> f.message().contains(RULE_BROKEN)
                    ? new Result(rule, BROKEN, f.message().substring(f.message().indexOf(RULE_BROKEN) + RULE_BROKEN.length()), bound, f)
                    : new Result(rule, THREW, f.message(), bound, f);
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
            java.util.Set<String> checking = new java.util.HashSet<>();
            for (Trace.Step s : failure.trace().steps()) {
                if (isSwitchRow(s)) {
                    // one switch row between two threads' steps, none at the start or twice in a row
                    if (!kept.isEmpty() && !isSwitchRow(kept.get(kept.size() - 1))) kept.add(s);
                } else if (s.where() == null || s.where().isBlank() || checking.contains(s.thread())) {
                    // the engine's own frames, and the rule's check by the last thread to finish
                } else if (inPuzzle(s.where())) {
                    if (s.action().contains("incrementAndGet")) checking.add(s.thread());
                } else if (!inJdk(s.where()) && !loopMark(s.action())) {
                    kept.add(new Trace.Step(s.number(), s.thread(), place(s.where()), s.action(), s.values()));
                }
            }
            while (!kept.isEmpty() && isSwitchRow(kept.get(kept.size() - 1))) kept.remove(kept.size() - 1);
            return new Trace(sentence(), kept);
        }

        @Override
        public Table table() {
            List<List<String>> rows = new ArrayList<>();
            for (Trace.Step s : steps().steps()) rows.add(List.of(String.valueOf(s.number()), s.thread(), s.action(), s.values(), s.where()));
            String title = switch (verdict) {
                case BROKEN -> "the interleaving that broke the rule (" + detail + ")";
                case STUCK -> "the interleaving after which the threads never finish";
                case THREW -> "the interleaving in which a thread threw";
                case HOLDS -> "no interleaving of the " + bound + " tried broke the rule or left a thread stuck";
                default -> sentence();
            };
            String foot;
            if (failure == null) foot = "nothing ran yet";
            else if (!found()) foot = failure.how();
            else if (rows.isEmpty()) foot = "the engine found it but could not print the interleaving; " + failure.how();
            else foot = "the puzzle's own steps (steps inside Semaphore and other JDK classes left out); " + failure.how();
            return Table.of(List.of("step", "thread", "action", "values", "where"), rows).titled(title).withFooter(foot);
        }

        @Override
        public String toString() {
            return table().toString();
        }

        private static boolean isSwitchRow(Trace.Step s) {
            return (s.where() == null || s.where().isBlank()) && s.action() != null && s.action().startsWith("switch");
        }
    }

    /** Lincheck's marks of a loop ("loop(2 iterations)", "<iteration 1>"): not a step of the puzzle. */
    static boolean loopMark(String action) {
        return action != null && (action.startsWith("loop(") || action.startsWith("<iteration"));
    }

    /** Whether a step is this class's own (the wrapper that counts finished threads and checks the rule). */
    static boolean inPuzzle(String where) {
        return where.contains("(Puzzle.java:") || where.startsWith("Puzzle.") || where.contains("$Puzzle");
    }

    /**
     * A step's place as a student reads it: a notebook cell's line numbers count JShell's wrapper
     * lines, so they are left out, and a lambda written in a cell is just "a lambda".
     * {@code Signal.b1(java:12)} becomes {@code Signal.b1}; {@code lambda$do_it$$fdf35678$1(java:10)} becomes
     * "a lambda"; {@code Rounds.lambda$threads$4ad2f26b$1(java:28)} becomes "Rounds.threads (a lambda)".
     */
    static String place(String where) {
        int open = where.indexOf('(');
        String method = open >= 0 ? where.substring(0, open) : where;
        // the engine names a cell's file "java" (JShell's wrapper file, $JShell$24.java, without its name)
        boolean inCell = where.contains("(java:") || where.contains("$JShell$") || where.startsWith("lambda$do_it");
        if (!inCell) return where;
        if (method.contains("lambda$do_it$")) return "a lambda";
        return method.replaceAll("\\.lambda\\$(\\w+?)\\$.*$", ".$1 (a lambda)");
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
