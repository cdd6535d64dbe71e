package org.threadlab.agent;

import org.threadlab.agent.protocol.Codec;
import org.threadlab.agent.protocol.Message;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Catches thread and process explosions early, while the machine still responds: every
 * {@value #PERIOD_MS} ms it counts the JVM's platform threads and its child processes, and past a
 * limit it tells the kernel (a {@link Frames#LIMIT} frame), which stops the cell. Virtual threads
 * are not counted: a million of them is a lesson, not an accident.
 */
final class Watchdog {
    private static final long PERIOD_MS = 100;

    private Watchdog() {}

    static void start(Frames frames, SideChannel side, int maxThreads, int maxProcesses) {
        Thread t = new Thread(() -> {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long quietUntil = 0;
            int tick = 0;
            while (true) {
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                if (System.currentTimeMillis() < quietUntil) continue;
                int threads = mx.getThreadCount();
                Message.LimitHit breach = null;
                // walking /proc for descendants costs more: every third tick is enough, and always when
                // threads pile up, since each child process brings a reaper thread: name the real cause
                if (threads > maxThreads || ++tick % 3 == 0) {
                    long processes = ProcessHandle.current().descendants().count();
                    if (processes > maxProcesses) breach = new Message.LimitHit(Message.Resource.PROCESSES, processes, maxProcesses);
                    else if (threads > maxThreads) breach = new Message.LimitHit(Message.Resource.THREADS, threads, maxThreads);
                }
                if (breach != null) {
                    frames.send(Frames.LIMIT, Cells.lastCell, Codec.encode(0, breach));
                    side.flush();
                    // give the kernel time to stop the cell before complaining again
                    quietUntil = System.currentTimeMillis() + 3000;
                }
            }
        }, "threadlab-watchdog");
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        t.start();
    }
}
