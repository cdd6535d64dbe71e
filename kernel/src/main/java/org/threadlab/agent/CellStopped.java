package org.threadlab.agent;

/**
 * What a thread sees when the kernel stops it by force: an {@link Error}, so that ordinary
 * {@code catch (Exception e)} blocks do not swallow it. It has no stack trace of its own; the
 * instance is shared.
 */
public final class CellStopped extends Error {
    CellStopped() {
        super("stopped by force by the kernel", null, false, false);
    }
}
