package org.threadlab.grading.exercises;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.HttpURLConnection;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fetcher tests' server counts a request in flight only until its answer goes out. */
class SlowServerTest {

    @Test
    void aRequestIsNoLongerCountedOnceItsAnswerHasBeenRead() throws Exception {
        // a client's next request may reach the server before the thread that answered the last one
        // runs again: had that thread still counted its request, a pool of 3 would have shown 4 at once
        try (SlowServer server = new SlowServer()) {
            for (int i = 0; i < 50; i++) {
                HttpURLConnection c = (HttpURLConnection) server.page(i, 1).toURL().openConnection();
                try (InputStream in = c.getInputStream()) {
                    assertEquals("page " + i, new String(in.readAllBytes()));
                }
                assertEquals(0, server.inFlight(), "request " + i + " still counted after its answer was read");
            }
            assertEquals(1, server.maxInFlight(), "one request at a time");
        }
    }
}
