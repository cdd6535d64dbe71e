package org.threadlab.run;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that can travel to another JVM: what {@link ProcessPool#map} applies to each
 * input in a worker process.
 *
 * <pre>{@code SerializableFunction<Integer, Long> f = n -> Tasks.countTo(n);}</pre>
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}
