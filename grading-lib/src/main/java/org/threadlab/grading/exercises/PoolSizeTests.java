package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Visible tests of pool-size. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class PoolSizeTests {
    private final PoolSizer sizer = Exercises.POOL_SIZE.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(5)
    @DisplayName("CPU-bound work: one thread per core")
    void cpuBound() {
        assertEquals(4, sizer.threads(4, 0, 10, 1000), "tasks that never wait keep 4 cores busy with 4 threads");
        assertEquals(1, sizer.threads(1, 0, 3, 1000), "one core, no waiting: one thread");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(5)
    @DisplayName("I/O-bound work: more threads, rounded up")
    void ioBound() {
        assertEquals(40, sizer.threads(4, 90, 10, 1000), "tasks that wait 90 ms for every 10 ms of work: 4 × (1 + 90/10) = 40 threads");
        assertEquals(3, sizer.threads(2, 5, 10, 1000), "2 × (1 + 5/10) = 3 threads");
        assertEquals(4, sizer.threads(3, 1, 10, 1000), "3 × (1 + 1/10) = 3.3, rounded up to 4 (a core left idle costs more than a thread)");
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(5)
    @DisplayName("never more threads than the process may have")
    void limit() {
        assertEquals(500, sizer.threads(8, 1000, 1, 500), "8 × (1 + 1000) = 8008 threads is over the limit of 500: give 500");
        assertEquals(16, sizer.threads(16, 0, 1, 16), "exactly at the limit: 16");
    }
}
