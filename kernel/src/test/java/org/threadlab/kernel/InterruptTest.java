package org.threadlab.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jupyter's interrupt (message mode) ends every kind of stuck cell, and afterwards the execution
 * JVM is idle, the cell's threads are gone and earlier definitions are still there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class InterruptTest {
    private ThreadLabKernel kernel;

    @BeforeAll
    void start() {
        kernel = ThreadLabKernel.builder().config(KernelConfig.defaults()).build();
        kernel.start();
        assertTrue(kernel.execute("int x = 42;").ok());
    }

    @AfterAll
    void stop() {
        kernel.onShutdown(false);
    }

    /** Runs a stuck cell, interrupts it after 700 ms, and checks everything a student relies on afterwards. */
    private ThreadLabKernel.CellResult interruptAfterStart(String code) throws Exception {
        Thread interrupter = new Thread(() -> {
            // once the cell runs (a fixed delay can come before it starts on a busy machine), and
            // again should the first interrupt have found nothing to stop
            try {
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (kernel.liveThreads(-1).isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
                Thread.sleep(700);
                while (true) {
                    kernel.interrupt();
                    Thread.sleep(5000);
                }
            } catch (InterruptedException e) {
                // the cell ended
            }
        });
        interrupter.start();
        long t0 = System.nanoTime();
        ThreadLabKernel.CellResult r = kernel.execute(code);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        interrupter.interrupt();
        interrupter.join();
        assertFalse(r.ok(), "an interrupted cell ends in an error");
        assertEquals("Interrupted", r.error().name());
        assertTrue(ms < 15_000, "the cell ended " + ms + " ms after it started");
        assertIdle();
        assertEquals("42", kernel.execute("x").text(), "earlier definitions survive the interrupt");
        return r;
    }

    private void assertIdle() throws InterruptedException {
        ProcessHandle jvm = ProcessHandle.of(kernel.executionPid()).orElseThrow();
        Thread.sleep(200);
        Duration before = jvm.info().totalCpuDuration().orElseThrow();
        Thread.sleep(1000);
        Duration used = jvm.info().totalCpuDuration().orElseThrow().minus(before);
        // a spinning thread would burn ~1000 ms here; JIT and GC of an idle JVM stay far below
        assertTrue(used.toMillis() < 300, "the execution JVM is idle after the interrupt, used " + used.toMillis() + " ms CPU in 1 s");
        assertTrue(kernel.liveThreads(-1).stream().noneMatch(t -> t.cell() != 0), () -> "no cell thread is left: " + kernel.liveThreads(-1).stream().map(Object::toString).toList());
    }

    @Test
    void anInterruptWhileTheCellStillCompilesStopsItAsItStarts() throws Exception {
        // javac takes a while over 3,000 statements; the last one never ends
        StringBuilder code = new StringBuilder("{ long a0 = 0;\n");
        for (int i = 1; i < 3000; i++) code.append("long a").append(i).append(" = a").append(i - 1).append(" + ").append(i).append(";\n");
        code.append("while (a2999 > 0) { } }");
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(150);
                kernel.interrupt();   // once: it lands while the kernel compiles
            } catch (InterruptedException e) {
                // the cell ended
            }
        });
        interrupter.start();
        long t0 = System.nanoTime();
        ThreadLabKernel.CellResult r = kernel.execute(code.toString());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        interrupter.join();
        assertFalse(r.ok(), "the interrupted cell ends in an error");
        assertEquals("Interrupted", r.error().name());
        assertTrue(ms < 15_000, "the cell ended " + ms + " ms after it started");
        assertIdle();
        assertEquals("42", kernel.execute("x").text());
    }

    @Test
    void interruptStopsBusyLoop() throws Exception {
        interruptAfterStart("while (true) {}");
    }

    @Test
    void interruptStopsBusyLoopsInThreadsTheCellStarted() throws Exception {
        interruptAfterStart("for (int i = 0; i < 3; i++) new Thread(() -> { while (true) {} }, \"spin-\" + i).start();\nThread.sleep(60_000);");
    }

    @Test
    void interruptStopsBusyVirtualThreads() throws Exception {
        interruptAfterStart("for (int i = 0; i < 2; i++) Thread.ofVirtual().start(() -> { while (true) {} });\nThread.sleep(60_000);");
    }

    @Test
    void interruptStopsSleepingCell() throws Exception {
        interruptAfterStart("Thread.sleep(60_000);");
    }

    @Test
    void interruptStopsLoopThatSwallowsInterruptedException() throws Exception {
        ThreadLabKernel.CellResult r = interruptAfterStart(
                "while (true) { try { Thread.sleep(100); } catch (InterruptedException e) { /* carry on */ } }");
        assertTrue(String.join("\n", r.error().traceback()).contains("by force"), "the cell says it was stopped by force");
    }

    @Test
    void interruptStopsReentrantLockDeadlock() throws Exception {
        interruptAfterStart("""
                var a = new ReentrantLock(); var b = new ReentrantLock(); var both = new CountDownLatch(2);
                Thread t1 = new Thread(() -> { a.lock(); both.countDown(); try { both.await(); } catch (Exception e) {} b.lock(); });
                Thread t2 = new Thread(() -> { b.lock(); both.countDown(); try { both.await(); } catch (Exception e) {} a.lock(); });
                t1.start(); t2.start(); t1.join();
                """);
    }

    @Test
    void interruptStopsBlockingIo() throws Exception {
        interruptAfterStart("""
                try (var server = new java.net.ServerSocket(0); var client = new java.net.Socket("127.0.0.1", server.getLocalPort());
                     var peer = server.accept()) {
                    Thread reader = new Thread(() -> { try { client.getInputStream().read(); } catch (Exception e) {} });
                    reader.start(); reader.join();
                }
                """);
    }

    @Test
    void interruptWithNoCellRunningDoesNothing() {
        kernel.interrupt();
        kernel.interrupt();
        assertEquals("42", kernel.execute("x").text());
    }
}
