package org.threadlab.grading;

import org.threadlab.display.Table;

/**
 * The grading module's front door for notebooks: {@code check(EXERCISE, implementation)} and every
 * exercise constant. The ThreadLab kernel imports {@code static org.threadlab.grading.Grading.*}
 * into every cell beside {@code org.threadlab.ThreadLab.*}; in stock JJava put this module's jar and
 * its dependencies (JUnit among them) on the class path and add that import yourself.
 *
 * <pre>{@code
 * import static org.threadlab.grading.Grading.*;
 * check(BANK_ACCOUNT, BankAccount::new);   // the visible tests of e13-bank-account, as a table
 * }</pre>
 *
 * <p>The constants are those of {@link Exercises}, which this class implements: an exercise is
 * registered there once, and nothing here copies it. The helper library ({@code org.threadlab.ThreadLab})
 * knows nothing of grading, so it needs no JUnit.
 */
public final class Grading implements Exercises {
    private Grading() {}

    /**
     * Runs the visible tests of an exercise against your implementation and shows a table of
     * test, points, pass/fail and why: {@code check(BANK_ACCOUNT, BankAccount::new)}. Every test
     * has a time limit, so a deadlock costs points, not the notebook; tests of races and deadlocks
     * also search the schedules under the engine and show the one that breaks your code.
     */
    public static <S> Table check(Exercise<S> exercise, S implementation) {
        return Check.run(exercise, implementation);
    }
}
