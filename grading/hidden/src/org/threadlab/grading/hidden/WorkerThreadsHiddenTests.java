package org.threadlab.grading.hidden;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.HiddenTests;
import org.threadlab.grading.Points;
import org.threadlab.grading.exercises.WorkerThreadsTests;
import org.threadlab.grading.exercises.Workers;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hidden tests of worker-threads. */
@HiddenTests("worker-threads")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class WorkerThreadsHiddenTests {
    private final Workers workers = Exercises.WORKER_THREADS.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(10)
    @DisplayName("no names: nothing runs, and runAll returns")
    void none() throws InterruptedException {
        Set<String> ran = ConcurrentHashMap.newKeySet();
        workers.runAll(List.of(), () -> ran.add(Thread.currentThread().getName()));
        assertEquals(Set.of(), ran, "runAll with no names should start no thread");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(10)
    @DisplayName("a task that throws ends only its own thread")
    void oneThrows() throws InterruptedException {
        Set<String> ran = ConcurrentHashMap.newKeySet();
        Thread.UncaughtExceptionHandler quiet = (t, e) -> { };
        workers.runAll(List.of("a", "b", "c", "d"), () -> {
            Thread.currentThread().setUncaughtExceptionHandler(quiet);
            if (Thread.currentThread().getName().equals("b")) throw new IllegalStateException("task b fails");
            ran.add(Thread.currentThread().getName());
        });
        assertEquals(Set.of("a", "c", "d"), ran, "when the task on thread b throws, the tasks on a, c and d must still run");
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(20)
    @DisplayName("50 threads, every one ended when runAll returns")
    void fifty() throws Exception {
        WorkerThreadsTests.endedWhenItReturns(workers, 50);
    }
}
