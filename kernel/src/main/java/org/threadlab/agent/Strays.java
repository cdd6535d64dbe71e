package org.threadlab.agent;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.locks.LockSupport;

/**
 * Platform threads that work for a cell outside its thread group {@code cell-N}, which the group
 * alone would miss:
 * <ul>
 * <li>threads a cell created in another group ({@code new Thread(someOtherGroup, ...)}): they carry
 *     the cell's tag (an inheritable thread-local, see {@link Cells});</li>
 * <li>workers of the common ForkJoinPool (parallel streams, {@code supplyAsync}) that are running a
 *     task: the JDK makes them in a group of its own and without the tag, and reuses them for every
 *     cell. A busy worker is credited to the cell that ran last when it is first seen busy (so the
 *     kernel's look at the end of each cell credits leftover work to that cell), until it is idle again.</li>
 * </ul>
 * The JDK's own threads (groups {@code system} and {@code InnocuousThreadGroup}: the process reapers,
 * the cleaner) and the agent's are never strays.
 */
final class Strays {
    private static final Map<Thread, Integer> POOL_OWNER = new WeakHashMap<>();

    private Strays() {}

    /** Every stray thread alive now, with its cell. */
    static Map<Thread, Integer> find() {
        Map<Thread, Integer> out = new LinkedHashMap<>();
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread[] all = new Thread[root.activeCount() + 16];
        int n = root.enumerate(all, true);
        ForkJoinPool common = ForkJoinPool.commonPool();
        synchronized (POOL_OWNER) {
            for (int i = 0; i < n; i++) {
                Thread t = all[i];
                if (t == null || !t.isAlive() || t.getName().startsWith("threadlab-")) continue;
                // before the group test: JDK 21 makes a common-pool worker in the group of the thread
                // that needed it, which may be a cell's, and then uses it for every later cell
                if (isCommonPoolWorker(t)) {
                    if (idle(t, common)) {
                        POOL_OWNER.remove(t);
                    } else {
                        int owner = POOL_OWNER.computeIfAbsent(t, k -> Cells.lastCell);
                        if (owner > 0) out.put(t, owner);
                    }
                    continue;
                }
                if (inCellGroup(t) || jdkOwn(t)) continue;
                int tag = Cells.of(t);
                if (tag > 0) out.put(t, tag);
            }
        }
        return out;
    }

    /** A worker of the common ForkJoinPool: counted by {@link #find} when busy, never by its thread group. */
    static boolean isCommonPoolWorker(Thread t) {
        return t instanceof ForkJoinWorkerThread w && w.getPool() == ForkJoinPool.commonPool();
    }

    private static boolean inCellGroup(Thread t) {
        for (ThreadGroup g = t.getThreadGroup(); g != null; g = g.getParent()) {
            if (g.getName().startsWith("cell-")) return true;
        }
        return false;
    }

    private static boolean jdkOwn(Thread t) {
        ThreadGroup g = t.getThreadGroup();
        return g == null || g.getParent() == null || g.getName().startsWith("Innocuous");
    }

    /** A pool worker waiting for work: parked by the pool in awaitWork. */
    private static boolean idle(Thread t, ForkJoinPool pool) {
        if (LockSupport.getBlocker(t) == pool) return true;
        Thread.State s = t.getState();
        if (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING) return false;
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("awaitWork"));
    }
}
