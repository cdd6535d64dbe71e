package org.threadlab.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Ends processes together with everything they started, and keeps track of the child processes
 * this library started so none outlives the JVM (a shutdown hook ends them all). To look at a
 * process tree instead, see {@link org.threadlab.os.ProcessTree} ({@code pstree()}).
 *
 * <pre>{@code
 * var p = new ProcessBuilder("sh", "-c", "sleep 100 & sleep 100 & wait").start();
 * TreeKiller.kill(p.toHandle());   // the shell and both sleeps: [4242, 4243, 4244]
 * }</pre>
 */
public final class TreeKiller {
    private TreeKiller() {}

    private static final Set<ProcessHandle> CHILDREN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TreeKiller::killAllChildren, "threadlab-children-cleanup"));
    }

    /** Remembers {@code p} so it is ended, with its descendants, when this JVM exits. */
    static void register(ProcessHandle p) {
        CHILDREN.add(p);
        p.onExit().thenRun(() -> CHILDREN.remove(p));
    }

    /** The child processes the library started that are still alive. */
    public static List<ProcessHandle> children() {
        return CHILDREN.stream().filter(ProcessHandle::isAlive).toList();
    }

    /** Ends every live child process the library started, with its descendants. */
    public static void killAllChildren() {
        for (ProcessHandle p : List.copyOf(CHILDREN)) kill(p);
    }

    /** {@link #kill(ProcessHandle)} by PID; an unknown PID gives an empty list. */
    public static List<Long> kill(long pid) {
        return ProcessHandle.of(pid).map(TreeKiller::kill).orElse(List.of());
    }

    /**
     * Ends {@code root} and all its descendants (SIGKILL) and waits until they are gone (up to
     * 5 s). The descendants are collected before anything is killed, because a process whose
     * parent dies is re-parented and no longer shows up as a descendant; collecting again after
     * each round catches children started meanwhile.
     *
     * @return the PIDs that were alive and were ended, root first
     */
    public static List<Long> kill(ProcessHandle root) {
        Map<Long, ProcessHandle> seen = new LinkedHashMap<>();
        for (int round = 0; round < 5; round++) {
            List<ProcessHandle> batch = new ArrayList<>();
            if (root.isAlive()) batch.add(root);
            root.descendants().forEach(batch::add);
            for (ProcessHandle p : List.copyOf(seen.values())) p.descendants().forEach(batch::add);
            batch.removeIf(p -> !p.isAlive());
            if (batch.isEmpty()) break;
            for (ProcessHandle p : batch) seen.putIfAbsent(p.pid(), p);
            // children first: a parent killed first could not re-spawn them, but an orphan may
            // already be racing to fork; killing leaves first then the root keeps the shape simple
            for (int i = batch.size() - 1; i >= 0; i--) batch.get(i).destroyForcibly();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (ProcessHandle p : seen.values()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            try {
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                break;
            }
        }
        return List.copyOf(seen.keySet());
    }
}
