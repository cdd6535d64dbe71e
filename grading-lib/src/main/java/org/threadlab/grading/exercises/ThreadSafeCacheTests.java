package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;
import org.threadlab.grading.Races;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Visible tests of thread-safe-cache: students see these, and check(THREAD_SAFE_CACHE, ...) runs them. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ThreadSafeCacheTests {
    private final Function<Function<Integer, String>, Cache<Integer, String>> make = Exercises.THREAD_SAFE_CACHE.subject();

    static void pause(long ms) {
        try { Thread.sleep(ms); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }

    @Test
    @Order(1)
    @Points(1)
    @Timeout(5)
    @DisplayName("one thread: values come from the loader, once per key")
    void oneThread() {
        AtomicInteger loads = new AtomicInteger();
        Cache<Integer, String> cache = make.apply(k -> { loads.incrementAndGet(); return "v" + k; });
        assertEquals("v1", cache.get(1), "get(1) should return the loader's value for 1");
        assertEquals("v1", cache.get(1), "a second get(1) should return the same value");
        assertEquals("v2", cache.get(2), "get(2) should return the loader's value for 2");
        assertEquals(2, loads.get(), "two keys were asked for, so the loader should have run twice, but it ran " + loads.get() + " times");
        assertEquals(2, cache.size(), "two keys are cached, but size() says " + cache.size());
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(10)
    @DisplayName("many threads asking for one key at once load it once")
    void oneKeyLoadedOnce() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            AtomicInteger loads = new AtomicInteger();
            Cache<Integer, String> cache = make.apply(k -> { loads.incrementAndGet(); pause(50); return "v" + k + "#" + loads.get(); });
            var seen = new ConcurrentLinkedQueue<String>();
            Races.race(16, i -> seen.add(cache.get(7)));
            assertEquals(1, loads.get(), "16 threads asked for key 7 at the same time and the loader ran " + loads.get()
                    + " times: checking 'is it cached?' and then loading is a check-then-act race. Make the check and the load one step "
                    + "per key (ConcurrentHashMap.computeIfAbsent, or a Future per key).");
            assertEquals(1, seen.stream().distinct().count(), "the 16 threads got different values for key 7: " + seen.stream().distinct().toList());
        }
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(10)
    @DisplayName("many threads, many keys: every value right, each key loaded once")
    void manyKeys() throws InterruptedException {
        int keys = 2_000;
        AtomicIntegerArray loads = new AtomicIntegerArray(keys);
        Cache<Integer, String> cache = make.apply(k -> { loads.incrementAndGet(k); return "v" + k; });
        Races.race(8, i -> {
            for (int j = 0; j < keys; j++) {
                int k = (j * 7 + i * 263) % keys;           // every thread walks the keys in its own order
                String v = cache.get(k);
                if (!("v" + k).equals(v)) throw new AssertionError("get(" + k + ") returned " + v + " instead of v" + k);
            }
        });
        for (int k = 0; k < keys; k++) {
            assertEquals(1, loads.get(k), "key " + k + " was loaded " + loads.get(k) + " times by 8 threads; once is the rule");
        }
        assertEquals(keys, cache.size(), keys + " keys were cached, but size() says " + cache.size()
                + ": a plain HashMap loses entries under concurrent writes (lecture 10)");
    }
}
