package org.threadlab.os;

/**
 * One OS thread as the kernel of the operating system sees it (a line of {@code ps -T -p PID}),
 * and, for a thread of this JVM, the {@link Thread} it runs.
 *
 * <pre>{@code
 * for (OsThread t : ps()) System.out.println(t.tid() + " " + t.name() + " " + t.stateWord());
 * }</pre>
 *
 * Numbers that the platform does not give are -1 (text: blank); see {@link ThreadList#unavailable()}.
 *
 * <p><b>How an OS thread is matched to its Java thread.</b> Only in this JVM. On HotSpot, the
 * diagnostic command {@code Thread.print} (as {@code jcmd PID Thread.print}) lists every thread
 * with its Java id and OS id, so the match is exact whatever the names; it is cached per OS thread
 * and asked again only when new threads appear (about 1 ms per 100 threads). Without that command
 * (OpenJ9, macOS and Windows through OSHI) the match is by name: the OS name is the Java name
 * given at start, cut to 15 characters on Linux. That fails when two threads share their first 15
 * characters (they are then paired in order of creation), when a thread was renamed by another
 * thread after it started (only a thread renaming itself renames its OS thread), or when the name
 * was cut inside a non-ASCII character. A thread that started a moment ago may show as
 * {@link Kind#NATIVE} until the next snapshot: its OS thread exists just before the JVM lists it.
 * The JVM's own threads (GC, JIT compilers, VM thread, signal dispatcher, reference handler...) are
 * {@link Kind#JVM}. Virtual threads have no OS thread: see {@link Os#virtualThreads()}.
 *
 * @param pid          the process (thread group id, TGID)
 * @param tid          the OS thread id (Linux TID, shown as LWP by {@code ps -L}); equals pid for the first thread
 * @param name         the OS thread name ({@code /proc/PID/task/TID/comm}, at most 15 characters on Linux)
 * @param state        the state letter as in {@code ps}: R running or runnable, S sleeping, D uninterruptible (disk)
 *                     sleep, Z zombie, T stopped, t traced, I idle kernel thread, X dead; '?' unknown
 * @param userMs       CPU time spent in user mode, in milliseconds (10 ms granularity on Linux)
 * @param systemMs     CPU time spent in the OS kernel on the thread's behalf, in milliseconds
 * @param lastCpu      the CPU number the thread last ran on ({@code ps -o psr}); -1 unknown
 * @param voluntarySwitches   context switches the thread asked for (it blocked or slept); -1 unknown
 * @param involuntarySwitches context switches the scheduler imposed (its time slice ended); -1 unknown
 * @param priority     the kernel's scheduling priority (Linux: 20 + nice for normal threads; higher runs less)
 * @param nice         the nice value, -20 (favoured) to 19; 0 by default
 * @param startMillis  when the thread started, in milliseconds since the epoch; -1 unknown
 * @param kind         what runs on it: application Java code, the JVM's own machinery, native code...
 * @param javaId       {@link Thread#threadId()} of the matching Java thread; -1 when none matched
 * @param javaName     the Java thread's full name (not cut at 15 characters); blank when none matched
 * @param javaState    the Java thread's {@link Thread.State}; null when none matched
 * @param daemon       whether the Java thread is a daemon (does not keep the JVM alive)
 * @param virtual      whether the Java thread is virtual; always false here, since a virtual thread has no
 *                     OS thread of its own (it borrows a {@link Kind#CARRIER carrier})
 * @param cell         the notebook cell whose code started the Java thread (from its thread group
 *                     {@code cell-N}); -1 when none
 * @param javaThread   the Java thread itself, or null
 */
public record OsThread(long pid, long tid, String name, char state, long userMs, long systemMs, int lastCpu,
                       long voluntarySwitches, long involuntarySwitches, int priority, int nice, long startMillis,
                       Kind kind, long javaId, String javaName, Thread.State javaState, boolean daemon,
                       boolean virtual, int cell, Thread javaThread) {

    /** What an OS thread is used for. */
    public enum Kind {
        /** a Java thread that application or notebook code started (including {@code main} and cell threads) */
        JAVA,
        /** the JVM's own machinery: GC, JIT compiler, VM thread, signal dispatcher, reference handler, cleaner... */
        JVM,
        /** a platform thread that runs virtual threads (the ForkJoinPool of {@code Thread.ofVirtual()}) */
        CARRIER,
        /** an OS thread of this JVM with no Java thread: the launcher's first thread, or threads made by native code */
        NATIVE,
        /** a thread of another process: ThreadLab does not look inside other JVMs */
        OTHER;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** User plus system CPU time, in milliseconds. */
    public long cpuMs() {
        return userMs < 0 || systemMs < 0 ? -1 : userMs + systemMs;
    }

    /** The state as a word: "running", "sleeping", "disk sleep", "zombie", "stopped"... */
    public String stateWord() {
        return stateWord(state);
    }

    /** {@code true} when the thread runs the JVM's own machinery rather than application code. */
    public boolean isJvmInternal() {
        return kind == Kind.JVM;
    }

    /** The best name for people: the Java name when there is one (full length), the OS name otherwise. */
    public String displayName() {
        return javaName != null && !javaName.isEmpty() ? javaName : name;
    }

    /** The word for a {@code ps} state letter. */
    public static String stateWord(char state) {
        return switch (state) {
            case 'R' -> "running";
            case 'S' -> "sleeping";
            case 'D' -> "disk sleep";
            case 'Z' -> "zombie";
            case 'T' -> "stopped";
            case 't' -> "traced";
            case 'X', 'x' -> "dead";
            case 'I' -> "idle";
            case 'P' -> "parked";
            case 'W' -> "waking";
            case 'K' -> "wakekill";
            default -> "unknown";
        };
    }
}
