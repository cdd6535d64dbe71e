package org.threadlab.kernel.exec;

import org.threadlab.agent.Frames;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads the execution JVM's frames on a daemon thread and hands them to a {@link FrameSink}. */
public final class SideChannelReader {
    private final Socket socket;
    private final FrameSink sink;
    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Thread thread;
    private long syncs;

    SideChannelReader(Socket socket, FrameSink sink) {
        this.socket = socket;
        this.sink = sink;
        this.thread = new Thread(this::readLoop, "threadlab-side-channel");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void readLoop() {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024))) {
            while (true) {
                byte kind = in.readByte();
                int cell = in.readInt();
                int len = in.readInt();
                byte[] payload = in.readNBytes(len);
                if (payload.length < len) throw new EOFException();
                String text = new String(payload, StandardCharsets.UTF_8);
                switch (kind) {
                    case Frames.STDOUT -> sink.text(cell, false, text);
                    case Frames.STDERR -> sink.text(cell, true, text);
                    case Frames.DISPLAY -> sink.display(cell, false, text);
                    case Frames.UPDATE_DISPLAY -> sink.display(cell, true, text);
                    case Frames.LIMIT -> sink.limit(cell, text);
                    case Frames.CONTROL_REPLY -> {
                        sink.controlReply(text);
                        replies.offer(text);
                    }
                    default -> { /* a newer agent's frame kind: skip it */ }
                }
            }
        } catch (IOException e) {
            // the execution JVM ended; whoever waits on a reply times out
        }
    }

    /**
     * Sends a command line and waits up to {@code timeoutMs} for its reply, or returns null. Because
     * the reply travels behind every frame sent before it, a returned "sync" means all earlier
     * output has been handed to the sink.
     */
    public synchronized String command(String line, long timeoutMs) {
        try {
            replies.clear();
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                String r = replies.poll(left, TimeUnit.NANOSECONDS);
                if (r == null) return null;
                if (r.split(" ", 2)[0].equals(line.split(" ", 2)[0])) return r;
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits until all output the execution JVM produced so far has reached the sink. */
    public boolean sync(long timeoutMs) {
        long n;
        synchronized (this) {
            n = ++syncs;
        }
        String r = command("sync " + n, timeoutMs);
        return r != null;
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
