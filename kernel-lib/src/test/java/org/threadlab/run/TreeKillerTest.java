package org.threadlab.run;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TreeKillerTest {

    @Test
    void killingATreeLeavesNoDescendant() throws Exception {
        // a shell with two children, one of which has a child of its own
        Process p = new ProcessBuilder("/bin/sh", "-c", "sleep 60 & /bin/sh -c 'sleep 60 & wait' & wait").start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<ProcessHandle> tree;
        do {
            Thread.sleep(50);
            tree = p.descendants().toList();
        } while (tree.size() < 3 && System.nanoTime() < deadline);
        assertTrue(tree.size() >= 3, "the tree should have 3 descendants, has " + tree);
        List<Long> killed = TreeKiller.kill(p.toHandle());
        assertTrue(killed.contains(p.pid()));
        for (ProcessHandle h : tree) {
            assertTrue(killed.contains(h.pid()), "pid " + h.pid() + " was not killed: " + killed);
            assertFalse(ProcessHandle.of(h.pid()).map(ProcessHandle::isAlive).orElse(false), "pid " + h.pid() + " is alive");
        }
        assertFalse(p.isAlive());
    }

    @Test
    void killingAChildJvmAlsoKillsWhatItStarted() throws Exception {
        ChildJvm<Integer> c = ChildJvm.fork(() -> {
            new ProcessBuilder("sleep", "60").start();
            Thread.sleep(60_000);
            return 0;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<ProcessHandle> below;
        do {
            Thread.sleep(50);
            below = c.process().descendants().toList();
        } while (below.isEmpty() && System.nanoTime() < deadline);
        assertFalse(below.isEmpty(), "the child JVM should have started a sleep");
        List<Long> killed = c.kill();
        assertTrue(killed.contains(c.pid()), killed.toString());
        for (ProcessHandle h : below) {
            assertFalse(ProcessHandle.of(h.pid()).map(ProcessHandle::isAlive).orElse(false), "pid " + h.pid() + " is alive");
        }
        assertFalse(c.isAlive());
    }
}
