package org.threadlab.ipc;

import org.junit.jupiter.api.Test;
import org.threadlab.run.ChildJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpcTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final int MESSAGES = 10_000;

    private static void carriedAll(IpcMeasure m) {
        // measure() checks every message's sequence number on arrival and throws on a gap or swap
        assertEquals(MESSAGES, m.messages(), m.toString());
        assertTrue(m.perSecond() > 0 && m.latencyMicros() > 0, m.toString());
    }

    @Test
    void pipeCarriesTenThousandMessagesInOrder() {
        carriedAll(Pipe.measure(MESSAGES));
    }

    @Test
    void socketQueueCarriesTenThousandMessagesInOrder() {
        carriedAll(SocketQueue.measure(MESSAGES));
    }

    @Test
    void sharedMemoryCarriesTenThousandMessagesInOrder() {
        carriedAll(SharedMemory.measure(MESSAGES));
    }

    @Test
    void sharedCounterLosesNoIncrementFromTwoProcesses() {
        carriedAll(SharedCounter.measure(MESSAGES, 2));
    }

    @Test
    void requestServerAnswersTenThousandRequestsInOrder() {
        carriedAll(RequestServer.measure(MESSAGES));
    }

    @Test
    void pipeEchoesWhatWasSent() {
        try (Pipe p = Pipe.open()) {
            p.send("hello");
            assertEquals("hello", p.receiveString());
            p.send(new byte[] {1, 2, 3});
            p.flush();
            assertArrayEquals(new byte[] {1, 2, 3}, p.receive());
            assertTrue(ProcessHandle.of(p.pid()).isPresent());
        }
    }

    @Test
    void aChildWritesSharedMemoryAndThisJvmSeesIt() {
        try (SharedMemory m = SharedMemory.create(4096)) {
            String file = m.path().toString();
            ChildJvm<Integer> c = ChildJvm.fork(() -> {
                try (SharedMemory s = SharedMemory.open(Path.of(file))) {
                    s.putLong(8, 7);
                    s.setRelease(0, 42);
                }
                return 0;
            });
            c.get(LONG);
            assertEquals(42, m.getAcquire(0));
            assertEquals(7, m.getLong(8));
        }
    }

    @Test
    void openingAMissingSharedMemoryFileSaysWhatToPass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.open(Path.of("/nonexistent/threadlab.shm")));
        assertTrue(e.getMessage().contains("pass the path()"), e.getMessage());
    }

    @Test
    void requestServerSharesADictionaryWithAChild() {
        try (RequestServer server = RequestServer.start()) {
            int port = server.port();
            server.data().put("from parent", "hi");
            String seen = ChildJvm.<String>fork(() -> {
                try (RequestServer.Client c = RequestServer.connect(port)) {
                    c.put("from child", "hello");
                    c.add("n", 5);
                    c.add("n", 2);
                    return (String) c.get("from parent");
                }
            }).get(LONG);
            assertEquals("hi", seen);
            assertEquals(Map.of("from parent", "hi", "from child", "hello", "n", 7L), Map.copyOf(server.data()));
        }
    }

    @Test
    void socketQueueTakesWhatAChildPut() throws Exception {
        try (SocketQueue q = SocketQueue.create()) {
            int port = q.port();
            ChildJvm<Integer> c = ChildJvm.fork(() -> {
                try (SocketQueue.Producer p = SocketQueue.connect(port)) {
                    p.put("one".getBytes());
                    p.put("two".getBytes());
                }
                return 0;
            });
            assertEquals("one", new String(q.poll(LONG)));
            assertEquals("two", new String(q.poll(LONG)));
            c.get(LONG);
        }
    }

    @Test
    void measuresMakeOneTable() {
        IpcMeasure a = new IpcMeasure("pipe", 10, 1_000_000, 5.0, "one-way");
        IpcMeasure b = new IpcMeasure("socket queue", 10, 2_000_000, 9.0, "one-way");
        String t = IpcMeasure.table(List.of(a, b)).toString();
        assertTrue(t.contains("10000") && t.contains("5000"), t);
    }

    @Test
    void theSharedMemoryFileIsRemovedOnClose() {
        Path file;
        try (SharedMemory m = SharedMemory.create(64)) {
            file = m.path();
            assertTrue(Files.exists(file));
        }
        assertFalse(Files.exists(file));
    }
}
