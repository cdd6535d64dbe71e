package org.threadlab.agent;

import org.threadlab.agent.protocol.Codec;
import org.threadlab.agent.protocol.Message;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Catches thread and process explosions early, while the machine still responds: every
 * {@value #PERIOD_MS} ms it counts the JVM's platform threads and its child processes, and past a
 * limit it tells the kernel (a {@link Frames#LIMIT} frame), which stops the cell. Virtual threads
 * are not counted: a million of them is a lesson, not an accident. Its tick also gives an idle JVM's
 * free C heap back to the OS ({@link NativeHeap}).
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
                NativeHeap.tick();
                if (System.currentTimeMillis() < quietUntil) continue;
                int threads = mx.getThreadCount();
                Message.LimitHit breach = null;
                // walking /proc for descendants costs more: every third tick is enough, and always when
                // threads pile up, since each child process brings a reaper thread: name the real cause
                if (threads > maxThreads || ++tick % 3 == 0) {
                    // descendants() reads every process of the machine: with a class of students on one
                    // server that is every student's JVMs, three times a second in each. No child, no walk.
                    long processes = childProcesses() == 0 ? 0 : ProcessHandle.current().descendants().count();
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

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final boolean CHILDREN_LISTED = Files.isReadable(Path.of("/proc/thread-self/children"));

    /**
     * This JVM's child processes, from each thread's {@code /proc/self/task/TID/children} (Linux): a
     * read of this JVM's own tasks only; -1 where the OS does not list them (then the caller walks).
     * A thread that ends during the read hands its children to a thread that may be read already, so
     * they can be missed by this one read; the watchdog reads again a tick later, which is soon enough.
     */
    static long childProcesses() {
        if (!CHILDREN_LISTED) return -1;
        long n = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String pids = Files.readString(task.resolve("children")).strip();
                    if (!pids.isEmpty()) n += pids.split(" +").length;
                } catch (IOException ended) {
                    // the thread ended since the listing: it has no children to count any more
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return n;
    }
}
