package org.threadlab.run;

/**
 * A child process failed: its task threw, it crashed, it did not answer in time, or its result
 * could not be sent back. The message says which and names the PID; for a task that threw, it
 * carries the child's stack trace as text.
 */
public class ChildFailedException extends RuntimeException {
    private final long pid;
    private final boolean timedOut;

    public ChildFailedException(long pid, String message) {
        this(pid, message, false);
    }

    /** {@code timedOut}: no answer came within the time given (the child was then killed). */
    public ChildFailedException(long pid, String message, boolean timedOut) {
        super(message);
        this.pid = pid;
        this.timedOut = timedOut;
    }

    /**
     * Whether the child gave no answer in the time allowed and was killed for it, as opposed to
     * failing on its own: a caller can tell "it hung" from "it crashed" without reading the message.
     */
    public boolean timedOut() {
        return timedOut;
    }

    /** PID of the child process that failed. */
    public long pid() {
        return pid;
    }
}
