package org.threadlab.grading.exercises;

/** A single-threaded event loop, asyncio's model (exercise event-loop, lecture 04). */
public interface EventLoop {
    /**
     * Schedules {@code task} to run once, {@code delayMs} milliseconds from now (0: as soon as
     * possible), on the thread that calls {@link #run()}. Tasks may call it too, to schedule more.
     */
    void callLater(long delayMs, Runnable task);

    /**
     * Runs the scheduled tasks on the calling thread, each when it is due, earliest first (tasks
     * due at the same time in the order they were scheduled), and returns when none is left.
     * Waits without using the CPU.
     */
    void run() throws InterruptedException;
}
