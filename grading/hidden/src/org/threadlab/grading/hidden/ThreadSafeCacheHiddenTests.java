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
import org.threadlab.grading.Races;
import org.threadlab.grading.exercises.Cache;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Hidden tests of thread-safe-cache. */
@HiddenTests("thread-safe-cache")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ThreadSafeCacheHiddenTests {
    private final Function<Function<Integer, String>, Cache<Integer, String>> make = Exercises.THREAD_SAFE_CACHE.subject();

    @Test
    @Order(1)
    @Points(2)
    @Timeout(10)
    @DisplayName("different keys load at the same time")
    void differentKeysInParallel() throws InterruptedException {
        AtomicInteger loading = new AtomicInteger(), mostAtOnce = new AtomicInteger();
        Cache<Integer, String> cache = make.apply(k -> {
            mostAtOnce.accumulateAndGet(loading.incrementAndGet(), Math::max);
            try { Thread.sleep(200); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            loading.decrementAndGet();
            return "v" + k;
        });
        var clock = org.threadlab.grading.exercises.WallTime.start();
        String[] got = new String[8];
        Races.race(8, i -> got[i] = cache.get(i));
        for (int i = 0; i < 8; i++) {
            assertEquals("v" + i, got[i], "get(" + i + ") should return the loader's value v" + i);
        }
        // one lock around all loads takes 1,600 ms: the loads never overlap, on any machine
        clock.assertUnder(800, mostAtOnce.get() <= 1, ms -> "8 threads each loaded a different key (200 ms each) and it took " + ms
                + " ms: the loads ran one after the other. Do not hold one lock for the whole cache while the loader runs.");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(5)
    @DisplayName("a failed load is not cached")
    void failureNotCached() {
        AtomicInteger calls = new AtomicInteger();
        Cache<Integer, String> cache = make.apply(k -> {
            if (calls.incrementAndGet() == 1) throw new IllegalStateException("the database is down");
            return "v" + k;
        });
        try {
            cache.get(3);
            fail("the loader threw on the first get(3), so get should have thrown too");
        } catch (RuntimeException expected) {
            // any unchecked exception (the loader's, or a wrapper) is fine
        }
        assertEquals("v3", cache.get(3), "after a failed load, the next get(3) should call the loader again and return its value");
        assertEquals(1, cache.size(), "one key holds a value, but size() says " + cache.size());
    }
}
