package org.threadlab.grading.exercises;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** Runs a command as a child process with a time limit (exercise time-limit). */
@FunctionalInterface
public interface TimeLimit {
    /**
     * Starts {@code command} as a child process and returns everything it wrote to its standard
     * output, if it ends within {@code limit}. Otherwise ends it and every process it started
     * (children, grandchildren...), politely first and then by force, and throws
     * {@link TimeoutException}. Either way, returns within {@code limit} plus 2 s and leaves no
     * process of the command running.
     */
    String run(List<String> command, Duration limit) throws IOException, InterruptedException, TimeoutException;
}
