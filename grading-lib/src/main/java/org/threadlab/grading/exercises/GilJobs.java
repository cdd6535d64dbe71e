package org.threadlab.grading.exercises;

import org.threadlab.time.Block;
import org.threadlab.time.Gil;

import java.util.List;

/** Python-style threads under a simulated GIL (exercise gil-and-io, lecture 05). */
@FunctionalInterface
public interface GilJobs {
    /**
     * One job of a Python-style program: a blocking download, then some computing on the result.
     * Both are {@link Block}s, the helper library's "code that may throw", so they pass straight
     * to {@code gil.io(..)} and {@code gil.run(..)}.
     */
    record Job(Block download, Block compute) {}

    /**
     * Runs every job on a thread of its own, the way Python runs a thread: the whole job inside
     * {@code gil.run(..)}, with the GIL released around the blocking download by {@code gil.io(..)}.
     * Returns when every job is done and every thread it started has ended.
     */
    void runAll(Gil gil, List<Job> jobs) throws Exception;
}
