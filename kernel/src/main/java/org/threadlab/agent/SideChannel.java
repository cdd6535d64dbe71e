package org.threadlab.agent;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The execution JVM's own connection to the kernel, beside JShell's: output frames go out through
 * a buffer that a daemon thread flushes every few milliseconds (a busy printing loop costs one
 * system call per batch, not per line), and requests come in as {@link org.threadlab.agent.protocol.Codec} lines.
 */
final class SideChannel {
    private static final long FLUSH_EVERY_MS = 10;

    private final Socket socket;
    private final OutputStream buffered;
    final Frames frames;

    private SideChannel(Socket socket) throws IOException {
        this.socket = socket;
        this.buffered = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.frames = new Frames(buffered);
    }

    /** Connects to {@code port} on loopback and proves who we are with {@code token}. */
    static SideChannel connect(int port, String token) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setTcpNoDelay(true);
        s.getOutputStream().write((token + "\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        SideChannel channel = new SideChannel(s);
        Thread flusher = new Thread(channel::flushLoop, "threadlab-output");
        flusher.setDaemon(true);
        flusher.start();
        return channel;
    }

    private void flushLoop() {
        while (!socket.isClosed()) {
            try {
                Thread.sleep(FLUSH_EVERY_MS);
            } catch (InterruptedException e) {
                return;
            }
            flush();
        }
    }

    void flush() {
        synchronized (frames) {
            try {
                buffered.flush();
            } catch (IOException e) {
                // kernel gone: the JVM is about to be ended anyway
            }
        }
    }

    /** Answers each request line with a {@link Frames#CONTROL_REPLY} frame, on a daemon thread; {@code requests} never throws. */
    void serve(Function<String, String> requests) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String reply = requests.apply(line);
                    frames.send(Frames.CONTROL_REPLY, 0, reply);
                    flush();
                }
            } catch (IOException e) {
                // kernel closed the channel: nothing left to serve
            }
        }, "threadlab-control");
        t.setDaemon(true);
        t.start();
    }
}
