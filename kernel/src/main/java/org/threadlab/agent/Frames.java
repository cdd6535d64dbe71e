package org.threadlab.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The side channel from the execution JVM to the kernel: every frame says which cell it belongs
 * to, so output that a thread writes after its cell ended still reaches that cell. A frame is
 * {@code kind (1 byte), cell (int), length (int), payload (UTF-8)}; frames are written whole, under
 * one lock, so lines from several threads never interleave inside a frame.
 */
public final class Frames {
    public static final byte STDOUT = 1;
    public static final byte STDERR = 2;
    /** A display_data content object as JSON. */
    public static final byte DISPLAY = 3;
    /** An update_display_data content object as JSON. */
    public static final byte UPDATE_DISPLAY = 4;
    /** The reply to a request on the side channel: a {@link org.threadlab.agent.protocol.Codec} line. */
    public static final byte CONTROL_REPLY = 5;
    /** A limit was passed: a {@link org.threadlab.agent.protocol.Message.LimitHit} line; the cell is the one running. */
    public static final byte LIMIT = 6;
    /** A thread ended with an uncaught exception: a {@link org.threadlab.agent.protocol.Message.ThreadFailed} line; the cell is the thread's. */
    public static final byte THREAD_FAILED = 7;

    private final OutputStream out;

    public Frames(OutputStream out) {
        this.out = out;
    }

    public void send(byte kind, int cell, String payload) {
        send(kind, cell, payload.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte kind, int cell, byte[] payload) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(payload.length + 9);
        try (DataOutputStream d = new DataOutputStream(buf)) {
            d.writeByte(kind);
            d.writeInt(cell);
            d.writeInt(payload.length);
            d.write(payload);
        } catch (IOException impossible) {
            throw new AssertionError(impossible);
        }
        synchronized (this) {
            try {
                // no flush here: the side channel batches frames and flushes them every few ms
                buf.writeTo(out);
            } catch (IOException e) {
                // The kernel went away; nothing useful can be done with the output.
            }
        }
    }
}
