package org.threadlab.os;

/**
 * What one thread was doing at one tick of {@link Os#watch}: a row of the data behind a timeline.
 *
 * @param tick     the tick number, 0 for the first look
 * @param atNanos  when, in nanoseconds from the start of the watch
 * @param pid      the process
 * @param tid      the OS thread id
 * @param name     the thread's name (the Java name when it is a Java thread of this JVM)
 * @param state    the state letter ({@code R} running or runnable, {@code S} sleeping, {@code D} disk, ...); on Linux
 *                 read from stat when the thread ran since the last tick, else carried over (see the sampler)
 * @param cpuMs    the thread's CPU time so far, in milliseconds (on Linux from schedstat, to the ms; from stat in 10 ms
 *                 steps where the kernel has no schedstat)
 * @param lastCpu  the CPU it last ran on; -1 unknown
 * @param kind     what runs on it (application Java code, JVM machinery...)
 * @param cell     the notebook cell that started it; -1 none
 */
public record Sample(int tick, long atNanos, long pid, long tid, String name, char state, long cpuMs, int lastCpu,
                     OsThread.Kind kind, int cell) {}
