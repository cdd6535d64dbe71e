package org.threadlab.agent;

/** What {@code System.exit(...)} throws in a cell: the execution JVM holds every cell's state. */
public final class ExitBlocked extends SecurityException {
    ExitBlocked() {
        super("System.exit(...) would end the JVM that holds every variable and thread of this notebook, "
                + "so ThreadLab refused it. Return from the cell instead; to start afresh use Kernel > Restart.");
    }
}
