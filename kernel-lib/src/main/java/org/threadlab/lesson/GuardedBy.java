package org.threadlab.lesson;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Part of a class's written thread-safety policy: the lock a thread must hold to read or write this
 * field (or to call this method). Nothing checks it at run time; it tells the next reader of the
 * code, and {@link Policy#of(Class)} lists it beside each field's other rule (final, volatile).
 *
 * <pre>{@code
 * class Counter {
 *     @GuardedBy("this") private long count;        // read and written only inside synchronized (this)
 *     synchronized void add() { count++; }
 *     synchronized long count() { return count; }
 * }
 * Policy.of(Counter.class)                         // count: guarded by this
 * }</pre>
 *
 * The value names the lock: {@code "this"}, a field ({@code "lock"}), or a class ({@code "Counter.class"}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface GuardedBy {
    /** The lock that guards it. */
    String value();
}
