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
        if (bindOnly) {
            // in the grader's JVM the check cell only hands the implementation over; the grader runs the tests
            BOUND.add(exercise.name());
            return Table.of(List.of("exercise"), List.of(List.of(exercise.name()))).titled("handed in for grading");
        }
        List<TestRunner.Result> results = TestRunner.run(exercise.visibleTests(), "visible", 0, null);
        return table(exercise.name(), results);
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
