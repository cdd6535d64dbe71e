package org.threadlab.run;

/**
 * Threads the library runs for itself (reading a child's output, feeding a pool, accepting
 * socket connections). They live in a thread group of their own, outside any notebook cell's
 * group, so the kernel neither reports them as threads a cell left running nor stops them with
 * the cell's; they still inherit the cell's thread-locals, so output they print lands under the
 * cell that started them.
 */
public final class LibraryThreads {
    private LibraryThreads() {}

    private static final ThreadGroup GROUP = new ThreadGroup(root(), "threadlab-library");

    private static ThreadGroup root() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) g = g.getParent();
        return g;
    }

    /** An unstarted daemon thread in the library's group, for thread factories. */
    public static Thread unstarted(String name, Runnable body) {
        Thread t = new Thread(GROUP, body, name);
        t.setDaemon(true);
        return t;
    }

    /** A started daemon thread named {@code name} in the library's group. */
    public static Thread start(String name, Runnable body) {
        Thread t = new Thread(GROUP, body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
