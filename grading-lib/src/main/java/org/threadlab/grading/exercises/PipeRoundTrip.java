package org.threadlab.grading.exercises;

import java.util.List;

/** Lines sent through a child process and back, over pipes (exercise pipe-round-trip, lecture 02). */
@FunctionalInterface
public interface PipeRoundTrip {
    /**
     * Starts {@code cat} as a child process, writes {@code lines} to its standard input (each
     * followed by a newline), and returns the lines it writes back, in order. The child has
     * ended when the call returns.
     */
    List<String> roundTrip(List<String> lines) throws Exception;
}
