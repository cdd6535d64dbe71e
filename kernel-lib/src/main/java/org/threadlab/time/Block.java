package org.threadlab.time;

/**
 * A block of code without a result that may throw, so that {@code time(() -> Thread.sleep(100))}
 * compiles in a cell without a try/catch. A checked exception of the block reaches the caller
 * wrapped in a {@link RuntimeException}; unchecked ones pass unchanged.
 *
 * <pre>{@code Block b = () -> Thread.sleep(100);}</pre>
 */
@FunctionalInterface
public interface Block {
    void run() throws Exception;

    /** Runs {@code block}, wrapping a checked exception in a {@link RuntimeException} that names it. */
    static void runUnchecked(Block block) {
        try {
            block.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // keep the interrupt for the code around us
            throw new RuntimeException("interrupted: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new RuntimeException(e.toString(), e);
        }
    }
}
