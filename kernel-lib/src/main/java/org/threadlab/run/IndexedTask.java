package org.threadlab.run;

/**
 * The body of thread number {@code index} (0, 1, ...): what {@link Threads#start} runs.
 * It may return a value (collected by {@link Threads#results()}) and throw (collected by
 * {@link Threads#errors()}).
 *
 * <pre>{@code IndexedTask<Long> t = i -> Tasks.countTo(1_000_000);}</pre>
 *
 * A body that needs the index but returns nothing still returns something:
 * {@code i -> { System.out.println(i); return i; }} (or use {@link Threads#run} without the index).
 */
@FunctionalInterface
public interface IndexedTask<T> {
    T run(int index) throws Exception;
}
