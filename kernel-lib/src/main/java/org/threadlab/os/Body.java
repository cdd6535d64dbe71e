package org.threadlab.os;

/**
 * A block of code to watch: like {@link Runnable}, but it may throw, so that a cell can write
 * {@code watch(() -> Thread.sleep(500))} without a try/catch. What it throws reaches the caller
 * unchanged, after the watching has stopped.
 */
@FunctionalInterface
public interface Body {
    void run() throws Exception;

    /** Runs {@code body}, letting a checked exception through without wrapping it. */
    static void runThrowing(Body body) {
        try {
            body.run();
        } catch (Exception e) {
            throw Body.<RuntimeException>sneaky(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E sneaky(Exception e) throws E {
        throw (E) e;
    }
}
