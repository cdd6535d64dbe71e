package org.threadlab.grading.hidden;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.HiddenTests;
import org.threadlab.grading.Points;
import org.threadlab.grading.exercises.Fetcher;
import org.threadlab.grading.exercises.IoFetcherTests;
import org.threadlab.grading.exercises.SlowServer;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hidden tests of io-fetcher. */
@HiddenTests("io-fetcher")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class IoFetcherHiddenTests {
    private static SlowServer server;
    private final Fetcher fetcher = Exercises.IO_FETCHER.subject();

    @BeforeAll
    static void start() throws Exception {
        server = new SlowServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @Order(1)
    @Points(1)
    @Timeout(20)
    @DisplayName("one thread fetches one page at a time, in order")
    void oneThread() throws Exception {
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < 5; i++) uris.add(server.page(i, 30));
        server.reset();
        assertEquals(List.of("page 0", "page 1", "page 2", "page 3", "page 4"), fetcher.fetchAll(uris, 1));
        assertEquals(1, server.maxInFlight(), "threads = 1 must send one request at a time");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(30)
    @DisplayName("40 pages with 8 threads: at most 8 at once, about 5 rounds")
    void manyPages() throws Exception {
        List<URI> uris = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            uris.add(server.page(i, 150));
            expected.add("page " + i);
        }
        IoFetcherTests.warmUp(fetcher, server);
        server.reset();
        var clock = org.threadlab.grading.exercises.WallTime.start();
        assertEquals(expected, fetcher.fetchAll(uris, 8));
        assertTrue(server.maxInFlight() <= 8, "at most 8 requests at once");
        clock.assertUnder(3000, server.maxInFlight() <= 1, ms -> "40 pages of 150 ms with 8 threads took " + ms + " ms (about 750 ms expected)");
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(30)
    @DisplayName("two callers at once each get their own pages")
    void twoCallers() throws Exception {
        List<URI> a = List.of(server.page(1, 50), server.page(2, 50), server.page(3, 50));
        List<URI> b = List.of(server.page(7, 50), server.page(8, 50));
        List<List<String>> got = new ArrayList<>(List.of(List.of(), List.of()));
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                got.set(1, fetcher.fetchAll(b, 2));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        got.set(0, fetcher.fetchAll(a, 2));
        other.join();
        assertEquals(List.of("page 1", "page 2", "page 3"), got.get(0));
        assertEquals(List.of("page 7", "page 8"), got.get(1));
    }
}
