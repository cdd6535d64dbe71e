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
import org.threadlab.grading.exercises.PoolMap;
import org.threadlab.grading.exercises.ThreadCensus;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Hidden tests of pool-map. */
@HiddenTests("pool-map")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class PoolMapHiddenTests {
    private final PoolMap pool = Exercises.POOL_MAP.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(15)
    @DisplayName("an exception in f comes out of map, and no thread is left")
    void failing() throws Exception {
        ThreadCensus census = ThreadCensus.take();
        try {
            pool.map(x -> {
                if (x == 5) throw new IllegalArgumentException("item 5 is bad");
                return x;
            }, List.of(1, 2, 3, 4, 5, 6, 7, 8), 3);
            fail("f threw for item 5, but map returned normally");
        } catch (Exception thrown) {
            // f's own exception, as it is or as the cause of an ExecutionException; any other
            // exception (a stub's UnsupportedOperationException) did not come from f
            Throwable t = thrown;
            while (t != null && !(t instanceof IllegalArgumentException && "item 5 is bad".equals(t.getMessage()))) {
                t = t.getCause();
            }
            if (t == null) {
                fail("map threw " + thrown + ", which is not f's exception for item 5 (nor caused by it)");
            }
        }
        List<String> left = census.leftRunning(2_000);
        assertTrue(left.isEmpty(), "threads still ran 2 s after map threw: " + left + ". Close the pool in a finally block "
                + "(or try-with-resources)");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(10)
    @DisplayName("more threads than items, and no items")
    void edges() throws Exception {
        assertEquals(List.of(2, 4), pool.map(x -> 2 * x, List.of(1, 2), 8), "two items with 8 threads");
        assertEquals(List.of(), pool.map(x -> x, List.of(), 3), "no items: an empty list");
    }
}
