/**
 * The graded exercises (the module {@code grading-lib}, kept out of the helper library because it
 * runs JUnit): {@link org.threadlab.grading.Exercises} registers each exercise once, as a constant;
 * {@link org.threadlab.grading.Grading} is the notebooks' entry point, {@code check(EXERCISE, implementation)}
 * running the visible tests ({@link org.threadlab.grading.TestRunner}, JUnit's launcher with time
 * limits); {@link org.threadlab.grading.Grader} is the grading JVM that {@code tools/grade.py} drives.
 * <pre>{@code
 * import static org.threadlab.grading.Grading.*;   // a default import of the ThreadLab kernel
 * check(BANK_ACCOUNT, BankAccount::new);
 * }</pre>
 */
package org.threadlab.grading;
