package org.threadlab.time;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One named way of doing the same work, for {@link Bench#compare(Variant...)}.
 *
 * <pre>{@code
 * Variant v = Variant.of("4 threads", () -> runOnThreads(4));
 * }</pre>
 *
 * @param name  the row's name in the comparison ("1 thread", "4 threads")
 * @param work  the work; its result is ignored
 */
public record Variant(String name, Callable<?> work) {
    public Variant {
        Objects.requireNonNull(name, "a variant needs a name, e.g. variant(\"1 thread\", () -> ...)");
        Objects.requireNonNull(work, "variant \"" + name + "\" has no work: pass a lambda, e.g. () -> task()");
    }

    /** A variant running {@code work}. */
    public static Variant of(String name, Block work) {
        Objects.requireNonNull(work, "variant \"" + name + "\" has no work: pass a lambda, e.g. () -> task()");
        return new Variant(name, () -> {
            work.run();
            return null;
        });
    }

    /** A variant running {@code work} (its result is ignored, but computing it cannot be optimised away). */
    public static Variant of(String name, Callable<?> work) {
        return new Variant(name, work);
    }
}
