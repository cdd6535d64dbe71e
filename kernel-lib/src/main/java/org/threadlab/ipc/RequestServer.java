package org.threadlab.ipc;

import org.threadlab.run.ChildJvm;
import org.threadlab.run.LibraryThreads;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A shared dictionary served to other processes over a loopback socket, one request and one
 * response at a time: Python's {@code multiprocessing.Manager().dict()}. The data lives in this
 * JVM; clients in any process call {@link Client#get}, {@link Client#put} and
 * {@link Client#add} (atomic on the server).
 *
 * <pre>{@code
 * try (RequestServer server = RequestServer.start()) {
 *     int port = server.port();
 *     fork(() -> { try (var c = RequestServer.connect(port)) { c.put("from", "child"); c.add("n", 5); } return 0; }).get();
 *     server.data();        // {from=child, n=5}
 * }
 * RequestServer.measure(10_000);
 * }</pre>
 */
public final class RequestServer implements AutoCloseable {
    private static final byte GET = 1, PUT = 2, ADD = 3, ECHO = 4;
    private static final byte OK = 0, FAILED = 1;

    private final ServerSocket server;
    private final Map<String, Object> data = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private RequestServer(ServerSocket server) {
        this.server = server;
        LibraryThreads.start("request-server-" + server.getLocalPort(), this::accept);
    }

    /** Starts serving on a free loopback port. */
    public static RequestServer start() {
        try {
            return new RequestServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a loopback socket: " + e.getMessage(), e);
        }
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** The shared dictionary itself (live; this JVM may read and change it directly). */
    public Map<String, Object> data() {
        return data;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                LibraryThreads.start("request-server-client", () -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()))) {
            while (true) {
                byte op = in.readByte();
                String key = in.readUTF();
                byte[] arg = new byte[in.readInt()];
                in.readFully(arg);
                byte[] reply;
                byte status = OK;
                try {
                    reply = switch (op) {
                        case GET -> toBytes(data.get(key));
                        case PUT -> {
                            data.put(key, fromBytes(arg));
                            yield toBytes(null);
                        }
                        case ADD -> toBytes(data.merge(key, (Long) fromBytes(arg), (a, b) -> ((Number) a).longValue() + (Long) b));
                        case ECHO -> arg;
                        default -> throw new IllegalArgumentException("unknown request " + op);
                    };
                } catch (RuntimeException | IOException | ClassNotFoundException e) {
                    status = FAILED;
                    reply = String.valueOf(e).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                out.writeByte(status);
                out.writeInt(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (EOFException e) {
            // client closed
        } catch (IOException e) {
            // connection broken
        }
    }

    static byte[] toBytes(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    static Object fromBytes(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    @Override
    public void close() {
        closed = true;
        Loopback.closeQuietly(server);
    }

    /** Connects to the server on {@code port} (from any process on this machine). */
    public static Client connect(int port) {
        Socket s = Loopback.connect(port, "request server");
        try {
            return new Client(s);
        } catch (IOException e) {
            Loopback.closeQuietly(s);
            throw new UncheckedIOException("cannot talk to the request server on loopback port " + port + ": " + e.getMessage(), e);
        }
    }

    /** One connection to a {@link RequestServer}; not for use by several threads at once. */
    public static final class Client implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        private Client(Socket socket) throws IOException {
            this.socket = socket;
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        }

        private byte[] call(byte op, String key, byte[] arg) {
            try {
                out.writeByte(op);
                out.writeUTF(key);
                out.writeInt(arg.length);
                out.write(arg);
                out.flush();
                byte status = in.readByte();
                byte[] reply = new byte[in.readInt()];
                in.readFully(reply);
                if (status != OK) {
                    throw new IllegalStateException("the server refused the request: " + new String(reply, java.nio.charset.StandardCharsets.UTF_8));
                }
                return reply;
            } catch (IOException e) {
                throw new UncheckedIOException("the connection to the request server broke: " + e.getMessage(), e);
            }
        }

        private Object value(byte op, String key, Object arg) {
            try {
                return fromBytes(call(op, key, toBytes(arg)));
            } catch (IOException e) {
                throw new IllegalArgumentException("the value for " + key + " is not Serializable: " + e.getMessage(), e);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the server sent a value of a class unknown here: " + e.getMessage(), e);
            }
        }

        /** The value under {@code key}, or null. */
        public Object get(String key) {
            return value(GET, key, null);
        }

        /** Stores a Serializable value under {@code key}. */
        public void put(String key, Serializable value) {
            value(PUT, key, value);
        }

        /** Adds {@code delta} to the number under {@code key} (0 if absent) atomically; returns the new value. */
        public long add(String key, long delta) {
            return ((Number) value(ADD, key, delta)).longValue();
        }

        /** Sends bytes and returns the server's copy: a bare round trip. */
        public byte[] echo(byte[] message) {
            return call(ECHO, "", message);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /**
     * A child JVM makes {@code n} {@code add("counter", 1)} requests one after the other, checking
     * each answer is the next number; this JVM checks the final count.
     *
     * @return requests per second and the median round trip (request to response), µs
     */
    public static IpcMeasure measure(int n) {
        try (RequestServer server = start()) {
            int port = server.port();
            ChildJvm<long[]> child = ChildJvm.fork(() -> requests(port, n));
            try {
                long[] r = child.get(Duration.ofSeconds(120));
                IpcMeasure.expect("request server", n, ((Number) server.data().get("counter")).longValue());
                return new IpcMeasure("request server", n, r[0], r[1] / 1e3, "round trip");
            } finally {
                child.kill();
            }
        }
    }

    static long[] requests(int port, int n) {
        try (Client c = connect(port)) {
            c.add("warm-up", 1);
            long[] rtt = new long[n];
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                IpcMeasure.expect("request server", i + 1, c.add("counter", 1));
                rtt[i] = System.nanoTime() - s;
            }
            long wall = System.nanoTime() - t0;
            java.util.Arrays.sort(rtt);
            return new long[] {wall, n == 0 ? 0 : rtt[n / 2]};
        }
    }
}
