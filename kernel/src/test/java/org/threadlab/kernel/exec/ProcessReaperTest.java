package org.threadlab.kernel.exec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An interrupt kills the processes its cell started, told by their start times (10 ms ticks); a
 * process the cell before started moments earlier is told apart by the snapshot taken as the
 * cell began, not by its start time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessReaperTest {

    @Test
    void aProcessInTheSnapshotIsSparedAndOneStartedSinceIsKilled() throws Exception {
        String earlier = "7" + System.nanoTime() % 1000 + ".25", mine = "8" + System.nanoTime() % 1000 + ".75";
        // a stand-in for the execution JVM: a shell whose two children are the cells' processes
        Process parent = new ProcessBuilder("sh", "-c", "sleep " + earlier + " & sleep " + mine + " & wait").start();
        try {
            ProcessHandle a = child(parent, earlier), b = child(parent, mine);
            Map<Long, Long> atCellStart = new HashMap<>(ProcessReaper.snapshot(parent, null));
            assertTrue(atCellStart.containsKey(a.pid()) && atCellStart.containsKey(b.pid()), "both are the shell's: " + atCellStart);
            atCellStart.remove(b.pid());   // as if only the first was there when the cell began
            // a cell that began a minute ago, before both by their start times: only the snapshot spares the first
            int killed = ProcessReaper.killStartedSince(parent, null, System.nanoTime() - TimeUnit.SECONDS.toNanos(60), atCellStart);
            assertEquals(1, killed);
            b.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(b.isAlive(), "the process started since the cell began is killed");
            assertTrue(a.isAlive(), "the process in the snapshot is spared");
        } finally {
            parent.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly();
        }
    }

    /**
     * The child of {@code parent} that runs {@code sleep marker}, once it exists. Its arguments are
     * matched exactly: a child the shell has forked but not yet turned into sleep still has the
     * shell's command line, which holds both markers (on a loaded machine the first lookup then
     * found the second child, and the test killed the process it meant to spare).
     */
    private static ProcessHandle child(Process parent, String marker) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            List<ProcessHandle> found = parent.toHandle().children()
                    .filter(p -> p.info().arguments().map(a -> a.length == 1 && a[0].equals(marker)).orElse(false)).toList();
            if (!found.isEmpty()) return found.get(0);
            Thread.sleep(10);
        }
        throw new AssertionError("the shell did not start 'sleep " + marker + "' within 20 s");
    }
}
