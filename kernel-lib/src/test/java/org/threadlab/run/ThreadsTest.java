package org.threadlab.run;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadsTest {

    @Test
    void threadsAreNamedAndReturnTheirResultsInThreadOrder() {
        Threads<String> t = Threads.start(4, i -> Thread.currentThread().getName() + "=" + i * i).join();
        assertEquals(List.of("worker-0=0", "worker-1=1", "worker-2=4", "worker-3=9"), t.results());
        assertTrue(t.done());
        assertFalse(t.failed());
        assertEquals(4, t.activities().size());
        assertTrue(t.toString().contains("worker-3"));
    }

    @Test
    void aTaskThatThrowsIsReportedForItsThreadOnly() {
        Threads<Integer> t = Threads.start(3, i -> 6 / (i - 1)).join();
        assertEquals(-6, t.results().get(0));
        assertNull(t.results().get(1));
        assertInstanceOf(ArithmeticException.class, t.errors().get(1));
        assertNull(t.errors().get(2));
        assertTrue(t.toString().contains("threw java.lang.ArithmeticException"));
    }

    @Test
    void joinWithTimeoutReturnsWhileAThreadStillRuns() {
        Threads<Long> t = Threads.start(1, i -> {
            Thread.sleep(30_000);
            return 1L;
        });
        t.join(Duration.ofMillis(100));
        assertFalse(t.done());
        t.interrupt().join(Duration.ofSeconds(10));
        assertTrue(t.done());
        assertInstanceOf(InterruptedException.class, t.errors().get(0));
    }

    @Test
    void bodiesWithoutIndexOrResultRunOncePerThread() {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        Threads<Void> t = Threads.run(5, runs::incrementAndGet).join();
        assertEquals(5, runs.get());
        assertEquals(java.util.Collections.nCopies(5, null), t.results());
        assertTrue(Threads.runVirtual(2, () -> { }).join().threads().get(0).isVirtual());
    }

    @Test
    void virtualThreadsAreVirtual() {
        Threads<Boolean> t = Threads.startVirtual(3, i -> Thread.currentThread().isVirtual()).join();
        assertEquals(List.of(true, true, true), t.results());
        assertEquals("virtual-2", t.threads().get(2).getName());
    }

    @Test
    void threadPoolMapKeepsInputOrderWhateverTheFinishingOrder() {
        List<Integer> inputs = IntStream.range(0, 40).boxed().toList();
        try (ThreadPool pool = new ThreadPool(4)) {
            // early inputs sleep longest, so they finish last
            List<Integer> out = pool.map(inputs, x -> {
                Tasks.sleep(40 - x);
                return x * 10;
            });
            assertEquals(inputs.stream().map(x -> x * 10).toList(), out);
            assertTrue(pool.activities().stream().map(a -> a.row()).distinct().count() > 1, "work spread over threads");
            assertFalse(pool.executor().isShutdown());
        }
    }

    @Test
    void threadPoolMapNamesTheInputWhoseTaskThrew() {
        try (ThreadPool pool = new ThreadPool(2)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> pool.map(List.of(1, 0, 2), x -> 1 / x));
            assertTrue(e.getMessage().contains("input #1"), e.getMessage());
            assertInstanceOf(ArithmeticException.class, e.getCause());
        }
    }
}
