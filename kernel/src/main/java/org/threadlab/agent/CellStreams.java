package org.threadlab.agent;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code System.out} and {@code System.err} of the execution JVM. Each thread collects its text
 * until a newline (or a flush, or 8 KiB) and only then sends it, tagged with the thread's cell: so
 * lines printed at the same time by many threads stay whole, and a thread's output lands in the
 * cell that started it.
 */
final class CellStreams extends OutputStream {
    private static final int MAX_PENDING = 8 * 1024;

    private final Frames frames;
    private final byte kind;
    private final ThreadLocal<Buffer> pending = ThreadLocal.withInitial(Buffer::new);

    private static final class Buffer {
        byte[] bytes = new byte[256];
        int size;
    }

    CellStreams(Frames frames, byte kind) {
        this.frames = frames;
        this.kind = kind;
    }

    static PrintStream printStream(Frames frames, byte kind) {
        return new PrintStream(new CellStreams(frames, kind), false, StandardCharsets.UTF_8);
    }

    /** Output without per-thread lines or cells: every write goes to the last cell as it comes. */
    static PrintStream unrouted(Frames frames, byte kind) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                frames.send(kind, Cells.lastCell, java.util.Arrays.copyOfRange(b, off, off + len));
            }
        }, false, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
        Buffer buf = pending.get();
        append(buf, b);
        if (b == '\n' || buf.size >= MAX_PENDING) sendLines(buf, b != '\n');
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Buffer buf = pending.get();
        int lastNewline = -1;
        for (int i = off + len - 1; i >= off; i--) {
            if (b[i] == '\n') { lastNewline = i; break; }
        }
        for (int i = off; i < off + len; i++) append(buf, b[i]);
        if (lastNewline >= 0 || buf.size >= MAX_PENDING) sendLines(buf, buf.size >= MAX_PENDING);
    }

    /** Sends the complete lines held, or everything when {@code all} is set. */
    private void sendLines(Buffer buf, boolean all) {
        int cut = buf.size;
        if (!all) {
            while (cut > 0 && buf.bytes[cut - 1] != '\n') cut--;
        }
        if (cut == 0) return;
        byte[] payload = java.util.Arrays.copyOf(buf.bytes, cut);
        System.arraycopy(buf.bytes, cut, buf.bytes, 0, buf.size - cut);
        buf.size -= cut;
        frames.send(kind, Cells.current(), payload);
    }

    private static void append(Buffer buf, int b) {
        if (buf.size == buf.bytes.length) buf.bytes = java.util.Arrays.copyOf(buf.bytes, buf.size * 2);
        buf.bytes[buf.size++] = (byte) b;
    }

    @Override
    public void flush() {
        // print(...) without a newline must still show up: a flush sends the partial line too
        Buffer buf = pending.get();
        if (buf.size > 0) sendLines(buf, true);
    }
}
