package org.threadlab.kernel;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Ends the kernel when a thread it cannot serve without has died: a kernel whose ZeroMQ I/O thread
 * or shell loop is gone still answers heartbeats (they run on threads of their own), so Jupyter
 * would wait on it for ever; a kernel that exits is restarted by Jupyter.
 *
 * <pre>{@code
 * Set<Thread> before = ThreadWatch.liveThreads();
 * connection.connect();                        // starts ZeroMQ's threads and the channel loops
 * ThreadWatch.start(ThreadWatch.startedSince(before), 500, connection::isClosing, why -> Runtime.getRuntime().halt(70));
 * }</pre>
 */
final class ThreadWatch {
    private ThreadWatch() {}

    /** The live platform threads, without the safepoint and stack walks of {@code Thread.getAllStackTraces()}. */
    static Set<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread[] all = new Thread[root.activeCount() + 16];
        int n = root.enumerate(all, true);
        return new HashSet<>(java.util.Arrays.asList(all).subList(0, n));
    }

    /**
     * The threads of ZeroMQ (I/O and reaper) and of the channel loops alive now that were not in
     * {@code before}; other threads started meanwhile (JShell's) may end on purpose.
     */
    static List<Thread> startedSince(Set<Thread> before) {
        return liveThreads().stream().filter(t -> !before.contains(t) && t.isAlive() && servesRequests(t.getName())).toList();
    }

    static boolean servesRequests(String name) {
        return name.startsWith("iothread") || name.startsWith("reaper") || name.startsWith("Heartbeat-")
                || name.equals("shell") || name.equals("control");
    }

    /**
     * Checks {@code watched} every {@code periodMs}; the first time one has ended while
     * {@code closing} says false, calls {@code onDeath} with a sentence naming it, and stops.
     */
    static Thread start(List<Thread> watched, long periodMs, BooleanSupplier closing, Consumer<String> onDeath) {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    return;
                }
                if (closing.getAsBoolean()) return;
                for (Thread w : watched) {
                    if (!w.isAlive() && !closing.getAsBoolean()) {
                        onDeath.accept("the kernel's thread \"" + w.getName() + "\" ended, so requests can no longer be served");
                        return;
                    }
                }
            }
        }, "threadlab-thread-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
