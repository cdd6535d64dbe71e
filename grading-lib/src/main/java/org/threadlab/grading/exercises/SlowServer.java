package org.threadlab.grading.exercises;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A web server on the loopback address for the fetcher tests: {@code /page?id=7&ms=200} answers
 * {@code "page 7"} after 200 ms, and the server remembers the most requests it had in flight.
 */
public final class SlowServer implements AutoCloseable {
    private final HttpServer server;
    // platform threads, not virtual ones: a JVM's first virtual thread leaves a JDK thread running
    // ("VirtualThread-unblocker"), which the grader would take for a thread the student left behind
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "slow-server-handler");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();

    public SlowServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        server.createContext("/page", exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            boolean counted = true;
            try {
                String id = "?", ms = "0";
                String query = exchange.getRequestURI().getQuery();
                if (query != null) {
                    for (String kv : query.split("&")) {
                        if (kv.startsWith("id=")) id = kv.substring(3);
                        if (kv.startsWith("ms=")) ms = kv.substring(3);
                    }
                }
                Thread.sleep(Long.parseLong(ms));
                // no longer in flight once its answer starts to go out: the client may send its next request
                // as soon as it has read this one, before this thread runs again (a pool of 3 then looked like 4)
                inFlight.decrementAndGet();
                counted = false;
                byte[] body = ("page " + id).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                served.incrementAndGet();
            } catch (InterruptedException e) {
                exchange.close();
            } finally {
                if (counted) inFlight.decrementAndGet();
            }
        });
        server.setExecutor(handlers);
        server.start();
    }

    /** The address of page {@code id}, answered after {@code ms} milliseconds. */
    public URI page(int id, long ms) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/page?id=" + id + "&ms=" + ms);
    }

    /** The most requests that were being answered at the same moment since the last reset. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Requests being answered now. */
    int inFlight() {
        return inFlight.get();
    }

    public int served() {
        return served.get();
    }

    public void reset() {
        maxInFlight.set(0);
        served.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.close();
    }
}
