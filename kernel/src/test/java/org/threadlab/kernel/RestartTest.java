package org.threadlab.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What cannot be stopped in place ends with a new execution JVM, and the cell says so plainly. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RestartTest {
    @Test
    void synchronizedDeadlockIsUndoneByARestartThatKeepsDefinitions() throws Exception {
        ThreadLabKernel kernel = ThreadLabKernel.builder().config(KernelConfig.defaults()).build();
        kernel.start();
        try {
            kernel.execute("int x = 42;\nint twice(int v) { return 2 * v; }");
            long pidBefore = kernel.executionPid();
            Thread interrupter = new Thread(() -> {
                // interrupt once both threads are stuck: a fixed delay can come too early on a busy machine
                long deadline = System.nanoTime() + 20_000_000_000L;
                try {
                    do {
                        Thread.sleep(100);
                    } while (kernel.liveThreads(-1).stream().filter(t -> t.state().equals("BLOCKED")).count() < 2
                            && System.nanoTime() < deadline);
                } catch (InterruptedException e) {
                    return;
                }
                kernel.interrupt();
            });
            interrupter.start();
            ThreadLabKernel.CellResult r = kernel.execute("""
                    Object a = new Object(), b = new Object(); var both = new CountDownLatch(2);
                    Thread t1 = new Thread(() -> { synchronized (a) { both.countDown(); try { both.await(); } catch (Exception e) {} synchronized (b) {} } });
                    Thread t2 = new Thread(() -> { synchronized (b) { both.countDown(); try { both.await(); } catch (Exception e) {} synchronized (a) {} } });
                    t1.start(); t2.start(); t1.join();
                    """);
            interrupter.join();
            assertFalse(r.ok());
            String tb = String.join("\n", r.error().traceback());
            assertTrue(tb.contains("restarted") && tb.contains("blocked on a monitor"), tb);
            assertNotEquals(pidBefore, kernel.executionPid(), "a new execution JVM runs the cells");
            assertFalse(ProcessHandle.of(pidBefore).map(ProcessHandle::isAlive).orElse(false), "the old one is gone");
            assertEquals("84", kernel.execute("twice(x)").text(), "definitions were replayed");
        } finally {
            kernel.onShutdown(false);
        }
    }

    @Test
    void shutdownEndsChildProcessesOfCells() throws Exception {
        ThreadLabKernel kernel = ThreadLabKernel.builder().config(KernelConfig.defaults()).build();
        kernel.start();
        ThreadLabKernel.CellResult r = kernel.execute("""
                var p1 = new ProcessBuilder("sleep", "1000").start();
                var p2 = new ProcessBuilder("sh", "-c", "sleep 1000 & wait").start();
                // an orphan: the shell exits at once, its sleep is re-parented away from the execution JVM
                var p3 = new ProcessBuilder("sh", "-c", "sleep 1000 > /dev/null 2>&1 & echo $!").start();
                long orphan = Long.parseLong(new String(p3.getInputStream().readAllBytes()).trim());
                p3.waitFor();
                p1.pid() + "," + p2.pid() + "," + orphan
                """);
        assertTrue(r.ok(), String.valueOf(r.error()));
        long execPid = kernel.executionPid();
        String[] pids = r.text().replace("\"", "").split(",");
        var grandchildren = ProcessHandle.of(Long.parseLong(pids[1])).orElseThrow().children().toList();
        assertTrue(ProcessHandle.of(Long.parseLong(pids[2])).map(ProcessHandle::isAlive).orElse(false), "the orphan runs before shutdown");
        kernel.onShutdown(false);
        for (String p : pids) assertFalse(running(Long.parseLong(p)), "child " + p + " ended");
        for (ProcessHandle g : grandchildren) assertFalse(running(g.pid()), "grandchild " + g.pid() + " ended");
        assertFalse(running(execPid), "execution JVM ended");
    }

    /** Alive and not a zombie: a killed child of a killed parent waits a moment for init to reap it. */
    static boolean running(long pid) throws Exception {
        for (int i = 0; i < 100; i++) {
            java.nio.file.Path stat = java.nio.file.Path.of("/proc/" + pid + "/stat");
            if (!java.nio.file.Files.exists(stat)) return false;
            String s;
            try {
                s = java.nio.file.Files.readString(stat);
            } catch (java.io.IOException e) {
                return false;
            }
            char state = s.charAt(s.lastIndexOf(')') + 2);
            if (state == 'Z' || state == 'X') return false;
            Thread.sleep(20);
        }
        return true;
    }
}
