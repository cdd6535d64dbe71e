package org.threadlab.grading.exercises;

import java.util.List;

/** Runs a program as a child process with a time limit (exercise run-with-deadline, lecture 01). */
@FunctionalInterface
public interface DeadlineRunner {
    /**
     * Runs {@code command} as a child process and returns what it wrote on its standard output
     * (its standard error is discarded), whatever its exit code, if it ends within
     * {@code timeoutMs} milliseconds. Otherwise kills it and every process it started, and throws
     * {@link java.util.concurrent.TimeoutException}.
     */
    String run(List<String> command, long timeoutMs) throws Exception;
}
