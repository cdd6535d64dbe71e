package org.threadlab.grading.exercises;

/**
 * A counter that threads of several processes add to through shared memory (exercise
 * process-counter): the 8-byte {@code long} at offset 0 of a file that every process maps into
 * its memory, in the machine's native byte order (the layout of
 * {@link org.threadlab.ipc.SharedCounter}, so the two can share a file).
 */
public interface ProcessCounter extends AutoCloseable {
    /** Adds 1 and returns the new value, atomically across every thread of every process using the file. */
    long increment();

    /** The current value, including every increment made so far by any process. */
    long get();

    /** Lets go of the file (unmapping may be left to the garbage collector). */
    @Override
    void close();
}
