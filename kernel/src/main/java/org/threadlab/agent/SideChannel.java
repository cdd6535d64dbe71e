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
 * a buffer that a daemon thread flushes a few milliseconds after something was written (a busy
 * printing loop costs one system call per batch, not per line; an idle JVM no wake-up at all, which
 * counts when a class runs one per student), and requests come in as {@link org.threadlab.agent.protocol.Codec} lines.
 */
final class SideChannel {
    private static final long FLUSH_EVERY_MS = 10;

    private final Socket socket;
    private final OutputStream buffered;
    final Frames frames;
    /** Set by a write, cleared by the flusher before it flushes. */
    private final java.util.concurrent.atomic.AtomicBoolean written = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Thread flusher;

    private SideChannel(Socket socket) throws IOException {
        this.socket = socket;
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.buffered = new java.io.FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                wake();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                wake();
            }
        };
        this.frames = new Frames(buffered);
    }

    private void wake() {
        if (written.compareAndSet(false, true)) {
            Thread t = flusher;
            if (t != null) java.util.concurrent.locks.LockSupport.unpark(t);
        }
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
        channel.flusher = flusher;
        flusher.start();
        return channel;
    }

    private void flushLoop() {
        while (!socket.isClosed()) {
            // parked until something is written (a write before the park makes it return at once)
            while (!written.get()) {
                java.util.concurrent.locks.LockSupport.park(this);
                if (Thread.interrupted()) return;
            }
            try {
                Thread.sleep(FLUSH_EVERY_MS);
            } catch (InterruptedException e) {
                return;
            }
            written.set(false);
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
