package org.threadlab.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thread, process and memory explosions end in a clear message, and the kernel keeps serving. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LimitsTest {
    private ThreadLabKernel kernel;

    @BeforeAll
    void start() {
        KernelConfig small = KernelConfig.defaults().withLimits(300, 20);
        kernel = ThreadLabKernel.builder().config(small).build();
        kernel.start();
        assertTrue(kernel.execute("int x = 42;").ok());
    }

    @AfterAll
    void stop() {
        kernel.onShutdown(false);
    }

    @Test
    void threadExplosionIsStoppedNamingTheLimit() {
        ThreadLabKernel.CellResult r = kernel.execute("""
                while (true) new Thread(() -> { try { Thread.sleep(600_000); } catch (InterruptedException e) {} }).start();
                """);
        assertFalse(r.ok());
        String tb = String.join("\n", r.error().traceback());
        assertTrue(tb.contains("limit of 300") && tb.contains("THREADLAB_MAX_THREADS"), tb);
        assertEquals("42", kernel.execute("x").text());
        assertTrue(kernel.liveThreads(-1).isEmpty(), "the cell's threads were stopped: " + kernel.liveThreads(-1).size() + " left");
    }

    @Test
    void processExplosionIsStoppedAndItsProcessesKilled() throws Exception {
        ThreadLabKernel.CellResult r = kernel.execute("""
                var started = new ArrayList<Process>();
                while (true) started.add(new ProcessBuilder("sleep", "600").start());
                """);
        assertFalse(r.ok());
        String tb = String.join("\n", r.error().traceback());
        assertTrue(tb.contains("limit of 20") && tb.contains("THREADLAB_MAX_PROCESSES"), tb);
        Thread.sleep(300);
        long left = ProcessHandle.of(kernel.executionPid()).orElseThrow().descendants().filter(ProcessHandle::isAlive).count();
        assertTrue(left < 20, left + " processes left");
        assertEquals("42", kernel.execute("x").text());
    }

    @Test
    void allocationWithoutBoundFailsWithOutOfMemoryAndKernelKeepsServing() {
        // a local hoard: a top-level variable would keep the heap full for the tests after this one
        ThreadLabKernel.CellResult r = kernel.execute("{ var hoard = new ArrayList<long[]>(); while (true) hoard.add(new long[1_000_000]); }");
        assertFalse(r.ok());
        assertEquals("OutOfMemoryError", r.error().name());
        assertTrue(String.join("\n", r.error().traceback()).contains("THREADLAB_HEAP"), r.error().traceback().toString());
        assertEquals("42", kernel.execute("x").text());
    }
}
