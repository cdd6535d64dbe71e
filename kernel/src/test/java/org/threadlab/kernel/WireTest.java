package org.threadlab.kernel;

import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's reading of Jupyter's wire format, and its exit when a thread it needs has died. */
class WireTest {
    private static final HMACGenerator HMAC = hmac();

    private static HMACGenerator hmac() {
        try {
            return new HMACGenerator("hmac-sha256", "the-key");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> signed(String header, String content) {
        byte[] h = b(header), p = b("{}"), m = b("{}"), c = b(content);
        List<byte[]> frames = new ArrayList<>(List.of(b("client-id"), b("<IDS|MSG>"), b(HMAC.calculateSignature(h, p, m, c)), h, p, m, c));
        return frames;
    }

    private static final String HEADER = "{\"msg_id\":\"1\",\"username\":\"u\",\"session\":\"s\",\"date\":\"2026-01-01T00:00:00.000Z\","
            + "\"msg_type\":\"execute_request\",\"version\":\"5.3\"}";

    @Test
    void aSignedExecuteRequestIsRead() {
        Message<?> m = FastConnection.Wire.parse(signed(HEADER, "{\"code\":\"1 + 1\",\"silent\":false}"), HMAC);
        assertEquals("execute_request", m.getHeader().getType().getName());
        assertEquals("client-id", new String(m.getIdentities().get(0), StandardCharsets.UTF_8));
    }

    @Test
    void framesWithoutDelimiterOrTooFewAfterItAreMalformed() {
        assertThrows(IllegalArgumentException.class, () -> FastConnection.Wire.parse(List.of(b("id"), b("garbage")), HMAC));
        assertThrows(IllegalArgumentException.class, () -> FastConnection.Wire.parse(List.of(b("<IDS|MSG>"), b("sig"), b("{}")), HMAC));
    }

    @Test
    void aWrongSignatureIsRefusedBeforeAnyJsonIsParsed() {
        List<byte[]> frames = signed(HEADER, "{\"code\":\"1\"}");
        frames.set(2, b("0".repeat(64)));
        assertThrows(SecurityException.class, () -> FastConnection.Wire.parse(frames, HMAC));
    }

    @Test
    void signedJsonThatDoesNotParseIsAnException() {
        assertThrows(RuntimeException.class, () -> FastConnection.Wire.parse(signed("{broken", "{}"), HMAC));
    }

    @Test
    void theMessageSizeLimitDefaultsTo64MiBAndTakesAPositiveOverride() {
        assertEquals(64L << 20, FastConnection.maxMessageBytes(null));
        assertEquals(64L << 20, FastConnection.maxMessageBytes("-5"));
        assertEquals(64L << 20, FastConnection.maxMessageBytes("lots"));
        assertEquals(1000L, FastConnection.maxMessageBytes("1000"));
    }

    @Test
    void theWatchReportsAServingThreadThatDied() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread io = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                // ends either way
            }
        }, "iothread-test");
        io.start();
        CountDownLatch reported = new CountDownLatch(1);
        AtomicReference<String> why = new AtomicReference<>();
        ThreadWatch.start(List.of(io), 20, () -> false, w -> {
            why.set(w);
            reported.countDown();
        });
        release.countDown();
        assertTrue(reported.await(30, TimeUnit.SECONDS), "the death was reported");
        assertTrue(why.get().contains("iothread-test"), why.get());
    }

    @Test
    void theWatchIsQuietWhileTheConnectionCloses() throws Exception {
        Thread io = new Thread(() -> { }, "iothread-closing");
        io.start();
        io.join();
        CountDownLatch reported = new CountDownLatch(1);
        Thread watch = ThreadWatch.start(List.of(io), 20, () -> true, w -> reported.countDown());
        watch.join(30_000);
        assertEquals(1, reported.getCount(), "no report while closing");
    }

    @Test
    void onlyZeroMqAndChannelThreadsAreWatched() {
        assertTrue(ThreadWatch.servesRequests("iothread-2"));
        assertTrue(ThreadWatch.servesRequests("reaper-1"));
        assertTrue(ThreadWatch.servesRequests("Heartbeat-0"));
        assertTrue(ThreadWatch.servesRequests("shell"));
        assertTrue(!ThreadWatch.servesRequests("threadlab-session-start"));
    }
}
