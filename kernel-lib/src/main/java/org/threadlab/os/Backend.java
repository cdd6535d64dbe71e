package org.threadlab.os;

/**
 * Where {@link Os} gets what the operating system sees. Two implementations: {@link ProcBackend}
 * reads Linux's {@code /proc} directly (or a recorded copy of it, in tests), {@link OshiBackend}
 * asks OSHI on every other OS and names in each result's {@code unavailable()} what that OS does
 * not give. {@link #choose()} picks one once, when {@code Os} loads; the tree drawing, the limits'
 * arithmetic and the tables are shared, so both answer in the same types and columns.
 */
interface Backend {

    /** The OS threads of process {@code pid}; matched to Java threads when {@code pid} is this JVM. */
    ThreadList threads(long pid);

    /** Process {@code pid}, or {@code null} when there is none (it may have ended). */
    ProcessInfo process(long pid);

    /** Every process this user may see, by pid. */
    ProcessList processes();

    /** The direct children of process {@code pid}, by pid. */
    ProcessList children(long pid);

    /** The machine: CPU, caches, memory, OS, JVM, and what this process may use. */
    Machine machine();

    /** The limits on new threads, with every bound this backend can read. */
    Limits limits();

    /** The error for a pid with no process behind it, saying how to find a live one. */
    default IllegalArgumentException noSuchProcess(long pid) {
        return new IllegalArgumentException("no process with pid " + pid
                + " (it may have ended): list the live ones with pstree() or children()");
    }

    /** Linux with a readable {@code /proc}: the direct reader; anything else: OSHI. */
    static Backend choose() {
        return Procfs.readable(ProcBackend.PROC) ? ProcBackend.live() : new OshiBackend();
    }
}
