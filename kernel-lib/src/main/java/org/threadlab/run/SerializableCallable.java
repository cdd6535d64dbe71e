package org.threadlab.run;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can travel to another JVM: a lambda typed as this is compiled
 * serializable, so {@link ChildJvm#fork} can ship it to a child process.
 *
 * <pre>{@code SerializableCallable<Long> job = () -> Tasks.countTo(1_000_000);}</pre>
 */
@FunctionalInterface
public interface SerializableCallable<T> extends Callable<T>, Serializable {
}
