package org.threadlab.grading.exercises;

import java.io.Serializable;
import java.util.function.IntFunction;

/**
 * A constructor taking one {@code int} ({@code BankAccount::new}), serializable so that the tests
 * can send it to the schedule engine's JVM and make fresh objects there.
 *
 * @param <T> what it makes
 */
@FunctionalInterface
public interface IntFactory<T> extends IntFunction<T>, Serializable {}
