package org.threadlab.grading.exercises;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Visible tests of io-fetcher. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class IoFetcherTests {
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

    /**
     * An untimed first call: a JVM's first HTTP requests load and compile the client and the
     * server (a second or more on a busy machine), which is not what the timed tests measure.
     */
    public static void warmUp(Fetcher fetcher, SlowServer server) throws Exception {
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < 10; i++) uris.add(server.page(i, 0));
        fetcher.fetchAll(uris, 10);
    }

    @Test
    @Order(1)
    @Points(2)
    @Timeout(20)
    @DisplayName("every page, in the order asked, even when they finish out of order")
    void inOrder() throws Exception {
        List<URI> uris = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            uris.add(server.page(i, 40 + (i * 37) % 120));   // later pages are sometimes faster
            expected.add("page " + i);
        }
        assertEquals(expected, fetcher.fetchAll(uris, 4),
                "the bodies must come back in the order of the URIs, not in the order the answers arrive: "
                        + "keep one Future per URI and read them in order");
        assertEquals(List.of(), fetcher.fetchAll(List.of(), 3), "no URIs: an empty list");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(20)
    @DisplayName("10 pages of 300 ms with 10 threads take about 300 ms, not 3 s")
    void concurrent() throws Exception {
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < 10; i++) uris.add(server.page(i, 300));
        warmUp(fetcher, server);
        server.reset();
        WallTime clock = WallTime.start();
        List<String> pages = fetcher.fetchAll(uris, 10);
        assertEquals(10, pages == null ? 0 : pages.size(), "fetchAll of 10 pages should return 10 bodies");
        clock.assertUnder(1500, server.maxInFlight() <= 1, ms -> "10 requests of 300 ms with 10 threads took " + ms + " ms; one after the other they take 3000 ms. "
                + "Send them from 10 threads at once (a pool of 10, or invokeAll) instead of waiting for each in turn");
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(20)
    @DisplayName("never more requests in flight than threads")
    void bounded() throws Exception {
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < 12; i++) uris.add(server.page(i, 100));
        server.reset();
        fetcher.fetchAll(uris, 3);
        assertTrue(server.maxInFlight() <= 3, "with threads = 3 the server saw " + server.maxInFlight()
                + " requests at once: use a pool of exactly `threads` threads");
        assertTrue(server.maxInFlight() >= 2, "with threads = 3 the server never saw two requests at once: "
                + "the requests were sent one after the other");
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(20)
    @DisplayName("no thread left running after the call")
    void cleanUp() throws Exception {
        ThreadCensus census = ThreadCensus.take();
        List<String> pages = fetcher.fetchAll(List.of(server.page(1, 10), server.page(2, 10)), 2);
        assertEquals(2, pages == null ? 0 : pages.size(), "fetchAll of 2 pages should return 2 bodies");
        List<String> left = census.leftRunning(500);
        assertEquals(List.of(), left, "these threads were still running after fetchAll returned: close the pool "
                + "(try (var pool = Executors.newFixedThreadPool(threads)) { ... }) so its threads end");
    }
}
