package org.threadlab.kernel.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ends processes the execution JVM started: the whole tree at shutdown or restart, a cell's own
 * after it was stopped, every one past the process limit. The pids cgroup, where there is one,
 * holds even those that detached (setsid, a double fork); without it the process group and the
 * descendants must do.
 */
final class ProcessReaper {
    private ProcessReaper() {}

    /**
     * Kills the processes that were started since {@code sinceNanos} ({@link System#nanoTime()}, taken
     * as the cell began) and still live: those in this JVM's cgroup, or else its descendants and its
     * process group. Processes earlier cells started keep running, {@code earlier} among them (pid to
     * start ticks, see {@link #snapshot}). Returns how many were killed.
     */
    static int killStartedSince(Process process, PidsCgroup cgroup, long sinceNanos, Map<Long, Long> earlier) {
        double cellStartUptime = ProcFs.uptimeSeconds() - (System.nanoTime() - sinceNanos) / 1e9;
        if (Double.isNaN(cellStartUptime)) return 0;
        int killed = 0;
        // the kernel's clock ticks are 10 ms: a process started in the tick the cell began counts as the cell's,
        // unless it was there when the cell began (a process of the cell before, which ended moments earlier)
        for (long pid : members(process, cgroup)) {
            Long had = earlier.get(pid);
            if (had != null && had == ProcFs.startTicks(pid)) continue;
            double started = ProcFs.startSeconds(pid);
            if (started >= cellStartUptime - 0.01) {
                if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) killed++;
            }
        }
        return killed;
    }

    /**
     * The processes the execution JVM started that live now, each with its start time in clock
     * ticks: what a cell that begins at once after another must not take for its own.
     */
    static Map<Long, Long> snapshot(Process process, PidsCgroup cgroup) {
        Map<Long, Long> out = new HashMap<>();
        for (long pid : members(process, cgroup)) {
            long ticks = ProcFs.startTicks(pid);
            if (ticks >= 0) out.put(pid, ticks);
        }
        return out;
    }

    /** Every live process the JVM started, however it detached (its cgroup), or else its descendants and process group. */
    private static Set<Long> members(Process process, PidsCgroup cgroup) {
        Set<Long> members = new LinkedHashSet<>();
        if (cgroup != null) {
            members.addAll(cgroup.processes());
        } else {
            process.toHandle().descendants().forEach(p -> members.add(p.pid()));
            members.addAll(ProcFs.processGroupMembers(process.pid()));
        }
        members.remove(process.pid());
        return members;
    }

    /** Kills every process the execution JVM started (not the JVM): past the process limit. */
    static void killChildren(Process process, PidsCgroup cgroup) {
        long jvm = process.pid();
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        // those that detached (setsid, a double fork) are no descendants any more, but still in the cgroup
        if (cgroup != null) {
            for (long pid : cgroup.processes()) if (pid != jvm) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Kills {@code root}, its descendants and its process group, children first so none is orphaned. */
    static void destroyTree(ProcessHandle root, long graceMs) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root);
        // the execution JVM leads its own process group: this also reaches processes that cells started and
        // that were orphaned (a shell that ran "sleep 1000 &" and exited)
        GroupLeaderLauncher.killGroup(root.pid());
        // SIGKILL at once: these are a cell's runaway processes, and the execution JVM's state is being thrown away
        for (ProcessHandle p : all) p.destroyForcibly();
        long deadline = System.currentTimeMillis() + Math.max(graceMs, 200);
        for (ProcessHandle p : all) {
            while (p.isAlive() && System.currentTimeMillis() < deadline) CellStopper.sleep(5);
        }
    }
}
