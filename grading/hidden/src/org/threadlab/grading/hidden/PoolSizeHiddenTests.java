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
import org.threadlab.grading.exercises.PoolSizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Hidden tests of pool-size. */
@HiddenTests("pool-size")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class PoolSizeHiddenTests {
    private final PoolSizer sizer = Exercises.POOL_SIZE.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(5)
    @DisplayName("impossible inputs are refused")
    void refused() {
        assertThrows(IllegalArgumentException.class, () -> sizer.threads(0, 1, 1, 10), "0 cores: IllegalArgumentException");
        assertThrows(IllegalArgumentException.class, () -> sizer.threads(2, -1, 1, 10), "a negative wait: IllegalArgumentException");
        assertThrows(IllegalArgumentException.class, () -> sizer.threads(2, 1, 0, 10), "no compute time: IllegalArgumentException");
        assertThrows(IllegalArgumentException.class, () -> sizer.threads(2, 1, 1, 0), "a limit of 0 threads: IllegalArgumentException");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(5)
    @DisplayName("a huge wait does not overflow past the limit")
    void noOverflow() {
        assertEquals(32_000, sizer.threads(64, 1e9, 1e-3, 32_000), "64 × (1 + 10^12) threads is far over the limit: give the limit "
                + "(clamp before converting to int, which overflows)");
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(5)
    @DisplayName("this machine, CPU-bound")
    void thisMachine() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, sizer.threads(cores, 0, 1, 10_000), "CPU-bound work on this machine's " + cores + " cores");
    }
}
