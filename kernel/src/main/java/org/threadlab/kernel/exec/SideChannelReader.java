package org.threadlab.kernel.exec;

import org.threadlab.agent.Frames;
import org.threadlab.agent.protocol.Codec;
import org.threadlab.agent.protocol.Message;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the execution JVM's frames on a daemon thread and hands them to a {@link FrameSink}; sends
 * requests on the same socket and pairs each reply with its request by id. Used through {@link AgentClient}.
 */
public final class SideChannelReader {
    private final Socket socket;
    private final FrameSink sink;
    private final Map<Long, CompletableFuture<Message.Reply>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Thread thread;

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
                    case Frames.LIMIT -> {
                        if (decode(text) instanceof Message.LimitHit hit) sink.limit(cell, hit);
                    }
                    case Frames.THREAD_FAILED -> {
                        if (decode(text) instanceof Message.ThreadFailed failed) sink.threadFailed(cell, failed);
                    }
                    case Frames.CONTROL_REPLY -> {
                        Codec.Envelope e = Codec.decode(text);
                        CompletableFuture<Message.Reply> waiting = pending.remove(e.id());
                        if (waiting != null && e.message() instanceof Message.Reply r) waiting.complete(r);
                    }
                    default -> { /* a newer agent's frame kind: skip it */ }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // the execution JVM ended (or sent what no agent of this version sends); whoever waits on a reply times out
        }
    }

    private static Message decode(String text) {
        try {
            return Codec.decode(text).message();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Sends {@code request} and waits up to {@code timeoutMs} for its reply; null when none came in
     * time. Because a reply travels behind every frame sent before it, a {@link Message.Synced}
     * means all earlier output has been handed to the sink.
     */
    Message.Reply request(Message.Request request, long timeoutMs) {
        long id = ids.incrementAndGet();
        CompletableFuture<Message.Reply> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            byte[] line = (Codec.encode(id, request) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (this) {
                OutputStream out = socket.getOutputStream();
                out.write(line);
                out.flush();
            }
            return reply.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (IOException | TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            pending.remove(id);
        }
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
