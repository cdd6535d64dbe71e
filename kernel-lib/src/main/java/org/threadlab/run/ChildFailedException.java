package org.threadlab.run;

/**
 * A child process failed: its task threw, it crashed, it did not answer in time, or its result
 * could not be sent back. The message says which and names the PID; for a task that threw, it
 * carries the child's stack trace as text.
 */
public class ChildFailedException extends RuntimeException {
    private final long pid;

    public ChildFailedException(long pid, String message) {
        super(message);
        this.pid = pid;
    }

    /** PID of the child process that failed. */
    public long pid() {
        return pid;
    }
}
