package org.threadlab.kernel.exec;

import com.sun.jdi.ClassType;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ThreadGroupReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import jdk.jshell.spi.ExecutionControl.EngineTerminationException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The stop escalation for one cell's threads: interrupt in-process, then an asynchronous error
 * thrown through JDI again and again, until the threads end or the deadline passes. The agent
 * (through {@link AgentClient}) says which threads belong to the cell beyond its thread group and
 * stops virtual threads; JDI stops the platform threads.
 *
 * <p>Threads blocked entering a {@code synchronized} monitor cannot take an asynchronous
 * exception, so {@link #stopCell} reports them and the caller restarts the execution JVM.
 */
public final class CellStopper {
    /** The JVM as JDI sees it; throws once it has ended. */
    @FunctionalInterface
    interface Vm {
        VirtualMachine get() throws EngineTerminationException;
    }

    private final Vm vmSource;
    private final AgentClient agent;
    private ObjectReference stopError;

    CellStopper(Vm vm, AgentClient agent) {
        this.vmSource = vm;
        this.agent = agent;
    }

    private VirtualMachine vm() throws EngineTerminationException {
        return vmSource.get();
    }

    /** What {@link #stopCell} achieved. */
    public record StopReport(int interrupted, int forced, List<String> survivors) {
        public boolean clean() {
            return survivors.isEmpty();
        }
    }

    /**
     * Stops every thread of cell {@code cell}: first {@code Thread.interrupt()} (sleep, wait, join,
     * blocking queues and well-behaved loops end here), then, for threads still alive after
     * {@code graceMs}, an asynchronous {@link org.threadlab.agent.CellStopped} error thrown into them
     * again and again until {@code deadlineMs}. Returns the threads that still live: those blocked
     * on a monitor, or catching and ignoring the error.
     */
    public StopReport stopCell(int cell, long graceMs, long deadlineMs) {
        long start = System.nanoTime();
        int forced = 0;
        try {
            List<ThreadReference> threads = cellThreads(cell);
            // in-process interrupt reaches virtual threads too, which JDI does not list
            var answer = agent.interrupt(cell, 500);
            int virtual = answer.map(org.threadlab.agent.protocol.Message.Interrupted::virtualThreads).orElse(0);
            if (answer.isEmpty()) {
                for (ThreadReference t : threads) {
                    try {
                        t.interrupt();
                    } catch (RuntimeException e) {
                        // it ended meanwhile (JDI says IllegalThreadStateException)
                    }
                }
            }
            int interrupted = threads.size() + virtual;
            while (elapsedMs(start) < graceMs && (!alive(threads).isEmpty() || liveVirtual(cell).count() > 0)) sleep(10);
            ObjectReference error = stopError();
            Carriers v = liveVirtual(cell);
            long forcingSince = System.nanoTime();
            // JDI's thread list lags behind a cell that starts threads by the hundred, so the agent's own
            // count of the cell's group decides too, and each round interrupts in-process again
            while ((!(threads = alive(cellThreads(cell))).isEmpty() || v.count() > 0 || agentCount(cell) > 0)
                    && elapsedMs(start) < deadlineMs) {
                agent.interrupt(cell, 500);
                List<ThreadReference> targets = new ArrayList<>(threads);
                targets.addAll(v.carriers());
                for (ThreadReference t : targets) {
                    try {
                        t.stop(error);
                        forced++;
                    } catch (Exception e) {
                        // thread ended meanwhile, or is in native code: tried again next round
                    }
                }
                sleep(50);
                v = liveVirtual(cell);
                // A thread blocked entering a monitor never takes the pending error, and one blocked in a
                // native call (a socket read) takes it only when the call returns: past a short wait,
                // waiting longer is pointless and the caller restarts the JVM instead.
                if (v.count() == 0 && forced > 0) {
                    List<ThreadReference> left = alive(cellThreads(cell));
                    if (allBlockedOnMonitors(left)) break;
                    if (elapsedMs(forcingSince) > NATIVE_PATIENCE_MS && allStuckOutsideJava(left)) break;
                }
            }
            List<String> survivors = new ArrayList<>();
            for (ThreadReference t : alive(threads)) survivors.add(describe(t));
            if (v.count() > 0) survivors.add(v.count() + " virtual thread" + (v.count() == 1 ? "" : "s"));
            if (survivors.isEmpty()) {
                int unseen = agentCount(cell);
                if (unseen > 0) survivors.add(unseen + " thread" + (unseen == 1 ? "" : "s") + " still starting when time ran out");
            }
            return new StopReport(interrupted, forced, survivors);
        } catch (VMDisconnectedException | EngineTerminationException e) {
            return new StopReport(0, forced, List.of());
        }
    }

    /** How many live threads (platform and virtual) the agent finds in cell {@code cell}'s group. */
    private int agentCount(int cell) throws EngineTerminationException {
        // no answer in time (a busy machine) is not "none left": assume one, until the deadline decides
        return agent.liveThreads(cell, 500).map(List::size).orElse(1);
    }

    private record Carriers(int count, List<ThreadReference> carriers) {}

    /** The live virtual threads of a cell, and the carrier threads the running ones are mounted on. */
    private Carriers liveVirtual(int cell) throws EngineTerminationException {
        var answer = agent.carriers(cell, 500);
        if (answer.isEmpty()) return new Carriers(0, List.of());
        int count = answer.get().virtualThreads();
        List<ThreadReference> carriers = new ArrayList<>();
        if (!answer.get().carrierNames().isEmpty()) {
            java.util.Set<String> names = new java.util.HashSet<>(answer.get().carrierNames());
            for (ThreadReference t : vm().allThreads()) {
                try {
                    if (names.contains(t.name())) carriers.add(t);
                } catch (RuntimeException e) {
                    // ended meanwhile
                }
            }
        }
        return new Carriers(count, carriers);
    }

    static long elapsedMs(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ObjectReference stopError() throws EngineTerminationException {
        if (stopError == null) {
            ClassType agent = (ClassType) vm().classesByName(ExecutionJvm.AGENT).get(0);
            stopError = (ObjectReference) agent.getValue(agent.fieldByName("STOP"));
        }
        return stopError;
    }

    /**
     * The platform threads whose thread group is {@code cell-N} (or a group below it), and those the
     * agent finds working for the cell elsewhere: created in another group, or common ForkJoinPool
     * workers running its tasks (see {@code org.threadlab.agent.Strays}).
     */
    public List<ThreadReference> cellThreads(int cell) throws EngineTerminationException {
        String name = org.threadlab.agent.Cells.groupName(cell);
        java.util.Set<Long> strays = strayIds(cell);
        List<ThreadReference> out = new ArrayList<>();
        for (ThreadReference t : vm().allThreads()) {
            try {
                boolean mine = false;
                // a common-pool worker may sit in a cell's group (JDK 21 makes it where it was first needed)
                // yet serve every cell: the agent counts it as a stray while it runs that cell's work
                if (!t.name().startsWith("ForkJoinPool.commonPool-worker-")) {
                    for (ThreadGroupReference g = t.threadGroup(); g != null && !mine; g = g.parent()) {
                        mine = g.name().equals(name);
                    }
                }
                if (mine || (!strays.isEmpty() && strays.contains(threadId(t)))) out.add(t);
            } catch (RuntimeException e) {
                // the thread ended while we looked
            }
        }
        return out;
    }

    private java.util.Set<Long> strayIds(int cell) {
        return new java.util.HashSet<>(agent.strays(cell, 500).orElse(List.of()));
    }

    private com.sun.jdi.Field tidField;

    /** {@code Thread.threadId()} of a thread, read through JDI from the field that holds it. */
    private long threadId(ThreadReference t) throws EngineTerminationException {
        // declared by java.lang.Thread (final since JDK 19); a thread's class may be a subclass
        if (tidField == null) tidField = vm().classesByName("java.lang.Thread").get(0).fieldByName("tid");
        return tidField == null ? -1 : ((com.sun.jdi.LongValue) t.getValue(tidField)).value();
    }

    /** How long a thread in a native call may keep a pending stop before it counts as stuck, in ms. */
    private static final long NATIVE_PATIENCE_MS = 300;

    /** Every thread is blocked on a monitor or sits in a native method (blocking I/O), where a stop cannot land. */
    private static boolean allStuckOutsideJava(List<ThreadReference> threads) {
        if (threads.isEmpty()) return false;
        for (ThreadReference t : threads) {
            try {
                if (t.status() == ThreadReference.THREAD_STATUS_MONITOR) continue;
                t.suspend();
                try {
                    if (t.frameCount() == 0 || !t.frame(0).location().method().isNative()) return false;
                } finally {
                    t.resume();
                }
            } catch (Exception e) {
                return false;
            }
        }
        return true;
    }

    private static boolean allBlockedOnMonitors(List<ThreadReference> threads) {
        if (threads.isEmpty()) return false;
        for (ThreadReference t : threads) {
            try {
                if (t.status() != ThreadReference.THREAD_STATUS_MONITOR) return false;
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    private static List<ThreadReference> alive(List<ThreadReference> threads) {
        List<ThreadReference> out = new ArrayList<>();
        for (ThreadReference t : threads) {
            try {
                int s = t.status();
                if (s != ThreadReference.THREAD_STATUS_ZOMBIE && s != ThreadReference.THREAD_STATUS_UNKNOWN) out.add(t);
            } catch (RuntimeException e) {
                // collected: it ended
            }
        }
        return out;
    }

    private static boolean inNative(ThreadReference t) {
        try {
            t.suspend();
            try {
                return t.frameCount() > 0 && t.frame(0).location().method().isNative();
            } finally {
                t.resume();
            }
        } catch (Exception e) {
            return false;
        }
    }

    private static String describe(ThreadReference t) {
        try {
            String state = switch (t.status()) {
                case ThreadReference.THREAD_STATUS_MONITOR -> "blocked on a monitor (synchronized)";
                case ThreadReference.THREAD_STATUS_WAIT -> "waiting";
                case ThreadReference.THREAD_STATUS_SLEEPING -> "sleeping";
                case ThreadReference.THREAD_STATUS_RUNNING -> inNative(t) ? "blocked in a native call such as a socket read" : "running";
                default -> "state " + t.status();
            };
            return "\"" + t.name() + "\" (" + state + ")";
        } catch (RuntimeException e) {
            return "a thread that ended meanwhile";
        }
    }
}
