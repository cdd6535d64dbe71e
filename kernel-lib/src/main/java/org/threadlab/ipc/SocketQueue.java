package org.threadlab.ipc;

import org.threadlab.run.ChildJvm;
import org.threadlab.run.LibraryThreads;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A queue that other processes put messages into over a loopback TCP socket: Python's
 * {@code multiprocessing.Queue}, with the consumer in this JVM. Each connection's messages
 * arrive in the order they were sent.
 *
 * <pre>{@code
 * try (SocketQueue q = SocketQueue.create()) {
 *     int port = q.port();
 *     var child = fork(() -> { try (var p = SocketQueue.connect(port)) { p.put("hi".getBytes()); } return 0; });
 *     new String(q.take());          // "hi", from the child process
 * }
 * SocketQueue.measure(10_000);
 * }</pre>
 */
public final class SocketQueue implements AutoCloseable {
    private final ServerSocket server;
    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    private SocketQueue(ServerSocket server) {
        this.server = server;
        LibraryThreads.start("socket-queue-accept-" + server.getLocalPort(), this::accept);
    }

    /** A queue listening on a free loopback port. */
    public static SocketQueue create() {
        try {
            return new SocketQueue(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a loopback socket: " + e.getMessage(), e);
        }
    }

    /** The port producers connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** The next message (waits for one). */
    public byte[] take() throws InterruptedException {
        return queue.take();
    }

    /** The next message, or null if none comes within {@code timeout}. */
    public byte[] poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Messages waiting. */
    public int size() {
        return queue.size();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                LibraryThreads.start("socket-queue-reader", () -> read(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void read(Socket s) {
        try (s; DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16))) {
            while (true) {
                int n = in.readInt();
                byte[] b = new byte[n];
                in.readFully(b);
                queue.put(b);
            }
        } catch (EOFException e) {
            // the producer closed
        } catch (IOException | InterruptedException e) {
            // connection broken or queue closed
        }
    }

    @Override
    public void close() {
        closed = true;
        Loopback.closeQuietly(server);
    }

    /** Connects a producer (in any process) to the queue on {@code port}. */
    public static Producer connect(int port) {
        Socket s = Loopback.connect(port, "socket queue");
        try {
            return new Producer(s);
        } catch (IOException e) {
            Loopback.closeQuietly(s);
            throw new UncheckedIOException("cannot talk to the socket queue on loopback port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The sending end of a {@link SocketQueue}. */
    public static final class Producer implements AutoCloseable {
        private final Socket socket;
        private final DataOutputStream out;

        private Producer(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        }

        /** Puts one message (buffered; {@link #flush()} or close sends it). */
        public void put(byte[] message) {
            try {
                out.writeInt(message.length);
                out.write(message);
            } catch (IOException e) {
                throw new UncheckedIOException("the queue's socket broke: " + e.getMessage(), e);
            }
        }

        /** Sends what {@link #put} buffered. */
        public void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the queue's socket broke: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            flush();
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /**
     * A child JVM puts {@code n} numbered messages back to back, then 500 one at a time ~100 µs
     * apart; this JVM checks each arrives once and in order.
     *
     * @return throughput of the back-to-back part and median one-way latency of the paced part
     */
    public static IpcMeasure measure(int n) {
        try (SocketQueue q = create()) {
            int port = q.port();
            int paced = Math.min(n, 500);
            ChildJvm<Integer> child = ChildJvm.fork(() -> produce(port, n, paced));
            try {
                byte[] first = q.poll(Duration.ofSeconds(60));
                if (first == null) throw new IllegalStateException("the producing child sent nothing in 60 s");
                long t0 = System.nanoTime();
                IpcMeasure.expect("socket queue", 0, ByteBuffer.wrap(first).getLong());
                for (int i = 1; i < n; i++) IpcMeasure.expect("socket queue", i, ByteBuffer.wrap(next(q, child)).getLong());
                long wall = System.nanoTime() - t0;
                long[] lat = new long[paced];
                for (int i = 0; i < paced; i++) {
                    ByteBuffer b = ByteBuffer.wrap(next(q, child));
                    long now = System.nanoTime();
                    IpcMeasure.expect("socket queue", n + i, b.getLong());
                    lat[i] = now - b.getLong();
                }
                child.get(Duration.ofSeconds(30));
                return new IpcMeasure("socket queue", n, wall, IpcMeasure.medianMicros(lat, paced), "one-way");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                child.kill();
            }
        }
    }

    /** The next message; fails instead of waiting forever when the producing child died. */
    private static byte[] next(SocketQueue q, ChildJvm<?> child) throws InterruptedException {
        while (true) {
            byte[] m = q.poll(Duration.ofMillis(500));
            if (m != null) return m;
            if (!child.isAlive()) {
                m = q.poll(Duration.ofMillis(100));
                if (m != null) return m;
                child.get(Duration.ofSeconds(1)); // throws with the child's own account of its end
                throw new IllegalStateException("the producing child ended before sending every message");
            }
        }
    }

    /** The child's part of {@link #measure}: the first message is sent at once so the clock starts then. */
    static int produce(int port, int n, int paced) {
        try (Producer p = connect(port)) {
            ByteBuffer b = ByteBuffer.allocate(16);
            for (int i = 0; i < n; i++) {
                b.clear();
                p.put(b.putLong(i).putLong(System.nanoTime()).array());
                if (i == 0) p.flush();
            }
            p.flush();
            // let the consumer drain the backlog first, so the paced part measures one message
            // at a time (no way back on this one-way path to ask; half a second is plenty for 10^5)
            try {
                Thread.sleep(300 + n / 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < paced; i++) {
                pause(100_000);
                b.clear();
                p.put(b.putLong(n + i).putLong(System.nanoTime()).array());
                p.flush();
            }
        }
        return n + paced;
    }

    /** Waits about {@code nanos} without holding a CPU the receiving process may need. */
    static void pause(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) java.util.concurrent.locks.LockSupport.parkNanos(end - System.nanoTime());
    }
}
