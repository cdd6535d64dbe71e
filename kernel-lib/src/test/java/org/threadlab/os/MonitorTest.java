package org.threadlab.os;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MonitorTest {

    @Test
    void stopsByItselfWhenTheCellsThreadsHaveEnded() throws Exception {
        assumeTrue(Os.LINUX, "needs /proc");
        ThreadGroup cell = new ThreadGroup("cell-5");
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Monitor> monitor = new AtomicReference<>();
        Thread cellThread = new Thread(cell, () -> {
            monitor.set(Os.monitor(20));
            new Thread(() -> OsTest.awaitQuietly(release), "monitored-worker").start();
        }, "cell-5");
        cellThread.start();
        cellThread.join();
        Monitor m = monitor.get();
        OsTest.await("the worker to show in the monitor", () -> m.last() != null && m.last().byName("monitored-worker").isPresent());
        assertTrue(m.isRunning());
        assertTrue(m.last().stream().allMatch(t -> t.cell() == 5), "only cell threads: " + m.last());
        assertTrue(m.last().stream().noneMatch(t -> t.displayName().equals("threadlab-monitor")), "not itself");
        release.countDown();
        assertTrue(m.awaitEnd(10_000), "stopped by itself: " + m);
        assertEquals("all watched threads ended", m.why());
        assertTrue(m.last().isEmpty());
        assertTrue(m.updates() >= 3);
    }

    @Test
    void duringABodyItStopsRightAfter() {
        Monitor m = Monitor.during(20, () -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertFalse(m.isRunning());
        assertEquals("stopped", m.why());
        assertTrue(m.updates() >= 1);
    }

    @Test
    void stopsWhenTheWatchedProcessEnds() throws Exception {
        Process p = new ProcessBuilder("sleep", "0.3").start();
        Monitor m = Os.monitor(p.pid(), 20, t -> true, Duration.ofSeconds(20));
        p.waitFor();
        assertTrue(m.awaitEnd(10_000), m.toString());
        assertTrue(m.why().contains("ended"), m.why());
    }

    @Test
    void stopsAfterItsMaximumDuration() throws Exception {
        Monitor m = Os.monitor(Os.self(), 20, t -> true, Duration.ofMillis(150));
        assertTrue(m.awaitEnd(10_000), m.toString());
        assertTrue(m.why().startsWith("reached its maximum duration"), m.why());
    }

    @Test
    void rejectsAMissingProcessAndTooFastUpdates() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Os.monitor(4_194_304 + 17, 100, t -> true, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("no process"));
        assertThrows(IllegalArgumentException.class, () -> Os.monitor(1));
    }
}
