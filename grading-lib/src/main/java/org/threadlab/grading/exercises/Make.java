package org.threadlab.grading.exercises;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A constructor without arguments ({@code TicketLock::new}), serializable so that the tests can
 * send it to the schedule engine's JVM and make fresh objects there.
 *
 * @param <T> what it makes
 */
@FunctionalInterface
public interface Make<T> extends Supplier<T>, Serializable {}
