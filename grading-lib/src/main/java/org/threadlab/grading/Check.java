package org.threadlab.grading;

import org.threadlab.display.Table;

import java.util.ArrayList;
import java.util.List;

/** What {@code check(EXERCISE, implementation)} does in a notebook: the visible tests, as a table. */
public final class Check {
    private Check() {}

    /** Set by the grader before it runs a submission's cells. */
    static volatile boolean bindOnly;
    /** The exercises whose check cell ran in the grader's JVM. */
    static final java.util.Set<String> BOUND = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public static <S> Table run(Exercise<S> exercise, S subject) {
        if (exercise == null) throw new IllegalArgumentException("check(null, ...): name an exercise, e.g. check(BANK_ACCOUNT, BankAccount::new)");
        if (subject == null) {
            throw new IllegalArgumentException("check(" + exercise.name().toUpperCase().replace('-', '_') + ", null): pass "
                    + exercise.hands());
        }
        exercise.use(subject);
        if ("bind".equals(System.getenv("THREADLAB_CHECK"))) {
            // the grader's run of the notebook: its grading JVM runs these tests again, so the kernel step saves the time
            return Table.of(List.of("exercise"), List.of(List.of(exercise.name()))).titled("handed in: the grader runs the tests");
        }
        if (bindOnly) {
            // in the grader's JVM the check cell only hands the implementation over; the grader runs the tests
            BOUND.add(exercise.name());
            return Table.of(List.of("exercise"), List.of(List.of(exercise.name()))).titled("handed in for grading");
        }
        // the schedule engine's JVM starts while the first tests run
        if (usesEngine(exercise.visibleTests())) org.threadlab.interleave.Interleaving.warmUp();
        List<TestRunner.Result> results = TestRunner.run(exercise.visibleTests(), "visible", 0, null);
        return table(exercise.name(), results);
    }

    /** Whether any of these test classes runs the schedule engine (their bytecode names {@link Explore}). */
    static boolean usesEngine(List<Class<?>> classes) {
        byte[] name = Explore.class.getName().replace('.', '/').getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (Class<?> c : classes) {
            try (java.io.InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                if (in != null && indexOf(in.readAllBytes(), name) >= 0) return true;
            } catch (java.io.IOException e) {
                // unreadable: no warm-up, the first search pays the start
            }
        }
        return false;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    static Table table(String exercise, List<TestRunner.Result> results) {
        int score = 0;
        int max = 0;
        List<List<String>> rows = new ArrayList<>();
        for (TestRunner.Result r : results) {
            score += r.score();
            max += r.max();
            rows.add(List.of(r.test(), r.score() + "/" + r.max(),
                    r.passed() ? "pass" : r.unjudged() ? "NOT JUDGED (0 points)" : "FAIL", r.message()));
        }
        Table t = Table.of(List.of("test", "points", "result", "why"), rows)
                .titled(exercise + ": " + score + " of " + max + " points from the visible tests");
        return score == max
                ? t.withFooter("All visible tests pass. The grader also runs hidden tests of the same kind.")
                : t.withFooter("Fix the first failing test first; after changing your code run its cell, then this one again.");
    }
}
