package org.threadlab.kernel;

import org.threadlab.agent.protocol.Message;
import org.threadlab.kernel.exec.ExecutionJvm;

import java.util.Locale;

/**
 * What the kernel does when the execution JVM passes its thread or process limit: stop the cell
 * responsible, say why and what to change, and end its processes when there are too many.
 */
final class LimitPolicy {
    private final ThreadLabKernel kernel;

    LimitPolicy(ThreadLabKernel kernel) {
        this.kernel = kernel;
    }

    /** The sentence the cell shows for {@code hit}. */
    static String reason(Message.LimitHit hit) {
        return hit.resource() == Message.Resource.THREADS
                ? String.format(Locale.ROOT, "the cell started %d platform threads, more than the limit of %d (THREADLAB_MAX_THREADS in the kernelspec's env). "
                + "Use a thread pool, or virtual threads, for many tasks.", hit.count(), hit.limit())
                : String.format(Locale.ROOT, "the cell started %d processes, more than the limit of %d (THREADLAB_MAX_PROCESSES in the kernelspec's env); "
                + "they were killed.", hit.count(), hit.limit());
    }

    /** Called on a thread of its own when the agent reports {@code hit} while {@code cell} was the last cell run. */
    void onLimit(int cell, Message.LimitHit hit) {
        if (!kernel.sessionStarted()) return;
        Session s = kernel.session();
        String reason = reason(hit);
        boolean processes = hit.resource() == Message.Resource.PROCESSES;
        // kill at once to relieve the machine, and again once the cell is stopped: a spawning loop
        // goes on starting processes until its thread ends
        if (processes) killChildren(s);
        if (s.runningCell() >= 0) {
            s.interrupt(reason, processes ? () -> killChildren(s) : () -> {});
        } else {
            synchronized (kernel) {
                kernel.output().kernelNote(cell, "[ThreadLab stopped the threads of cell [" + cell + "]: " + reason + "]");
                Session.Stopped stopped = s.stopThreadsOf(cell);
                if (stopped.restartNote() != null) kernel.output().kernelNote(cell, stopped.restartNote());
                if (processes) killChildren(s);
            }
        }
    }

    private static void killChildren(Session s) {
        ExecutionJvm j = s.jvm();
        if (j != null) j.killChildren();
    }
}
