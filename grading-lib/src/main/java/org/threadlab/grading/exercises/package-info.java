/**
 * One contract per exercise (what the student implements, like {@link org.threadlab.grading.exercises.Account})
 * and its visible tests ({@code ...Tests}, JUnit 5 with {@link org.threadlab.grading.Points}); the
 * constants of {@link org.threadlab.grading.Exercises} tie them together.
 */
package org.threadlab.grading.exercises;
