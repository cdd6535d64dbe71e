/**
 * What a lecture needs besides the experiment itself: self-check questions whose explanation
 * appears only once they are answered ({@link Quiz}), verdicts computed from this run's numbers
 * with the threshold they use ({@link Verdict}), sizes that fit the machine and the run
 * ({@link Sizes}), the machine's load ({@link Sizes#loadAverage()}) and small Java programs to
 * start as child processes ({@link JavaProgram}).
 *
 * <pre>{@code
 * Integer answer1 = null;                 // a blank answer compiles
 * quiz(1, answer1, 1, "Every process has at least one thread.");   // "question 1: not answered yet"
 * }</pre>
 */
package org.threadlab.lesson;
