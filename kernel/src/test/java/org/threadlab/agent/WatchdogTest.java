package org.threadlab.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The watchdog's cheap count of child processes, which decides whether it walks every process. */
class WatchdogTest {

    @Test
    void childProcessesCountsAChildOfAnyThreadAndNoneOnceItIsGone() throws Exception {
        assumeTrue(Watchdog.childProcesses() >= 0, "this OS does not list a thread's children (Linux /proc only)");
        long before = Watchdog.childProcesses();
        Process[] child = new Process[1];
        Path[] starterTask = new Path[1];
        // started by a thread that then ends: its child must still be counted (Linux hands it to a live thread)
        Thread starter = new Thread(() -> {
            try {
                starterTask[0] = Path.of("/proc/self/task").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName());
                child[0] = new ProcessBuilder("sleep", "30").start();
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        });
        starter.start();
        starter.join();
        try {
            // join() returns once the Java thread is done; the OS thread exits a moment later, and only then
            // does Linux hand its child to a live thread. Until its task has left /proc a read can catch the
            // child in the hand-over and miss it (it did under load), so count only once the thread is gone.
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Files.exists(starterTask[0]) && System.nanoTime() < until) Thread.sleep(5);
            assertFalse(Files.exists(starterTask[0]), "the starter's OS thread did not end within 10 s");
            assertEquals(before + 1, Watchdog.childProcesses(), "a running child of an ended thread");
        } finally {
            child[0].destroyForcibly();
            assertTrue(child[0].waitFor(10, TimeUnit.SECONDS), "sleep 30 did not end after SIGKILL");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Watchdog.childProcesses() != before && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(before, Watchdog.childProcesses(), "the child, once reaped, is no longer counted");
    }
}
