package org.threadlab.os;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

class VirtualThreadsTest {

    @Test
    void virtualThreadsAreListedWithTheCarrierOfTheMountedOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean spin = new AtomicBoolean(true);
        List<Thread> vts = new ArrayList<>();
        for (int i = 0; i < 5; i++) vts.add(Thread.ofVirtual().name("lab-vt-" + i).start(() -> OsTest.awaitQuietly(release)));
        CountDownLatch spinning = new CountDownLatch(1);
        Thread busy = Thread.ofVirtual().name("lab-vt-busy").start(() -> {
            spinning.countDown();
            while (spin.get()) Thread.onSpinWait();
        });
        spinning.await();
        try {
            VirtualThreadList all = Os.virtualThreads();
            assertTrue(all.unavailable().isEmpty(), all.unavailable().toString());
            VirtualThreadList ours = all.filter(v -> v.name().startsWith("lab-vt-"));
            assertEquals(6, ours.size(), all.toString());
            for (Thread t : vts) {
                var v = ours.stream().filter(x -> x.javaId() == t.threadId()).findFirst().orElseThrow();
                assertEquals(-1, v.carrierJavaId(), "a parked virtual thread is unmounted: " + v);
            }
            var b = ours.stream().filter(x -> x.name().equals("lab-vt-busy")).findFirst().orElseThrow();
            assertTrue(b.carrierJavaId() >= 0, "a spinning virtual thread is mounted: " + b);
            OsThread carrier = Os.threads().byTid(b.carrierTid()).orElseThrow(() -> new AssertionError("carrier " + b + " not in ps()"));
            assertEquals(OsThread.Kind.CARRIER, carrier.kind());
            assertTrue(ours.toString().contains("lab-vt-busy"));
        } finally {
            spin.set(false);
            release.countDown();
            busy.join();
            for (Thread t : vts) t.join();
        }
    }

    @Test
    void jsonThreadDumpParsesEscapesAndContainers() {
        String json = """
                {
                  "threadDump": {
                    "threadContainers": [
                      {
                        "container": "<root>",
                        "threads": [
                          {
                            "tid": "3",
                            "name": "main",
                            "state": "RUNNABLE",
                            "stack": [
                              "a.b(C.java:1)"
                            ]
                          }
                        ]
                      },
                      {
                        "container": "java.util.concurrent.ThreadPerTaskExecutor@1",
                        "threads": [
                          {
                            "tid": "40",
                            "virtual": true,
                            "name": "say \\"hi\\" \\u00e9",
                            "state": "RUNNABLE",
                            "carrier": "27"
                          }
                        ]
                      }
                    ]
                  }
                }
                """;
        var threads = JavaThreads.parseThreadDump(json);
        assertEquals(2, threads.size());
        assertEquals("<root>", threads.get(0).get("container"));
        assertNull(threads.get(0).get("virtual"));
        assertEquals("true", threads.get(1).get("virtual"));
        assertEquals("say \"hi\" \u00e9", threads.get(1).get("name"));
        assertEquals("27", threads.get(1).get("carrier"));
        assertEquals("java.util.concurrent.ThreadPerTaskExecutor@1", threads.get(1).get("container"));
        assertTrue(JavaThreads.parseThreadDump("not json").isEmpty());
    }
}
