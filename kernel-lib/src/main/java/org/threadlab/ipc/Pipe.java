package org.threadlab.ipc;

import org.threadlab.run.Jvm;
import org.threadlab.run.TreeKiller;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A pipe to and from a child JVM that echoes every message back: the parent writes to the
 * child's stdin, the child answers on its stdout (Python's {@code multiprocessing.Pipe()} between
 * a parent and a child). Each message is a length and bytes.
 *
 * <pre>{@code
 * try (Pipe p = Pipe.open()) {
 *     p.send("hello");
 *     p.receiveString();      // "hello", having crossed two pipes and a process
 *     p.pid();                // the echoing child
 * }
 * Pipe.measure(10_000);       // messages/s and latency
 * }</pre>
 */
public final class Pipe implements AutoCloseable {
    private final Process process;
    private final DataOutputStream out;
    private final DataInputStream in;

    private Pipe(Process process) {
        this.process = process;
        this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
        this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    }

    /** Starts the echoing child JVM (about 0.1-0.5 s). */
    public static Pipe open() {
        return new Pipe(Jvm.start(PipeChild.class.getName()));
    }

    /** PID of the child at the other end. */
    public long pid() {
        return process.pid();
    }

    /** Sends one message (buffered: {@link #flush()} or a receive pushes it out). */
    public void send(byte[] message) {
        try {
            out.writeInt(message.length);
            out.write(message);
        } catch (IOException e) {
            throw broken(e);
        }
    }

    /** Sends a string as UTF-8 and pushes it out. */
    public void send(String message) {
        send(message.getBytes(StandardCharsets.UTF_8));
        flush();
    }

    /** Pushes buffered messages into the pipe. */
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw broken(e);
        }
    }

    /** The next message from the child (waits for it). */
    public byte[] receive() {
        try {
            int n = in.readInt();
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        } catch (IOException e) {
            throw broken(e);
        }
    }

    /** The next message as a string. */
    public String receiveString() {
        return new String(receive(), StandardCharsets.UTF_8);
    }

    private UncheckedIOException broken(IOException e) {
        return new UncheckedIOException("the pipe to child pid " + process.pid() + " broke"
                + (process.isAlive() ? "" : " (the child ended)") + ": " + e.getMessage(), e);
    }

    /**
     * Sends {@code n} numbered messages through a fresh pipe back to back (a writer thread
     * sends while this thread reads the echoes), checks each arrives once and in order, then
     * measures 500 round trips one at a time.
     *
     * @return throughput (echoed messages per second) and latency: half the median round trip, µs
     * @throws IllegalStateException if a message was lost or reordered
     */
    public static IpcMeasure measure(int n) {
        try (Pipe p = open()) {
            p.send(new byte[16]); // warm up: waits until the child runs
            p.flush();
            p.receive();
            long t0 = System.nanoTime();
            Thread writer = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocate(16);
                for (int i = 0; i < n; i++) {
                    b.clear();
                    p.send(b.putLong(i).putLong(System.nanoTime()).array());
                }
                p.flush();
            }, "pipe-writer");
            writer.start();
            for (int i = 0; i < n; i++) IpcMeasure.expect("pipe", i, ByteBuffer.wrap(p.receive()).getLong());
            long wall = System.nanoTime() - t0;
            join(writer);
            int samples = Math.min(n, 500);
            long[] rtt = new long[samples];
            ByteBuffer b = ByteBuffer.allocate(16);
            for (int i = 0; i < samples; i++) {
                b.clear();
                long s = System.nanoTime();
                p.send(b.putLong(i).putLong(s).array());
                p.flush();
                IpcMeasure.expect("pipe", i, ByteBuffer.wrap(p.receive()).getLong());
                rtt[i] = (System.nanoTime() - s) / 2;
            }
            return new IpcMeasure("pipe", n, wall, IpcMeasure.medianMicros(rtt, samples), "one-way (round trip / 2)");
        }
    }

    static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the child's stdin (it ends) and makes sure it is gone. */
    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the child is gone already
        }
        try {
            if (!process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) TreeKiller.kill(process.toHandle());
        } catch (InterruptedException e) {
            TreeKiller.kill(process.toHandle());
            Thread.currentThread().interrupt();
        }
    }
}
