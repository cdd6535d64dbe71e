package org.threadlab.grading.exercises;

import java.io.Serializable;
import java.util.function.LongFunction;

/**
 * A constructor taking one {@code long} ({@code BankAccount::new}), serializable so that the tests
 * can send it to the schedule engine's JVM and make fresh objects there.
 *
 * @param <T> what it makes
 */
@FunctionalInterface
public interface LongFactory<T> extends LongFunction<T>, Serializable {}
