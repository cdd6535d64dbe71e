package org.threadlab.ipc;

import org.threadlab.run.ChildJvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Memory shared between JVMs: a file mapped into each process's address space
 * (Python's {@code multiprocessing.shared_memory}). A write by one process is seen by the others
 * without any system call; the {@code *Volatile}/{@code *Release} and atomic methods order
 * those writes between processes as they do between threads.
 *
 * <pre>{@code
 * try (SharedMemory m = SharedMemory.create(4096)) {
 *     String file = m.path().toString();           // give this to another process (a Path is not Serializable)
 *     var child = fork(() -> { try (var c = SharedMemory.open(Path.of(file))) { c.setRelease(0, 42); } return 0; });
 *     child.get();  m.getAcquire(0);               // 42, written by the child
 * }
 * SharedMemory.measure(10_000);
 * }</pre>
 *
 * Offsets are in bytes and must be multiples of 8 for the long accessors.
 */
public final class SharedMemory implements AutoCloseable {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Path path;
    private final MappedByteBuffer buffer;
    private final boolean owner;

    private SharedMemory(Path path, MappedByteBuffer buffer, boolean owner) {
        this.path = path;
        this.buffer = buffer;
        this.owner = owner;
    }

    /** A new zero-filled region of {@code bytes} bytes in a temporary file (in /dev/shm when it exists: RAM, not disk). */
    public static SharedMemory create(int bytes) {
        try {
            Path dir = Path.of("/dev/shm");
            Path file = Files.isDirectory(dir) && Files.isWritable(dir) ? Files.createTempFile(dir, "threadlab-", ".shm")
                    : Files.createTempFile("threadlab-", ".shm");
            file.toFile().deleteOnExit();
            return map(file, bytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a shared memory file: " + e.getMessage(), e);
        }
    }

    /** Maps an existing region created by {@link #create} (in this or another process). */
    public static SharedMemory open(Path file) {
        try {
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("no shared memory file " + file + "; pass the path() of a SharedMemory.create(..)");
            }
            return map(file, Files.size(file), false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not map " + file + ": " + e.getMessage(), e);
        }
    }

    private static SharedMemory map(Path file, long bytes, boolean owner) throws IOException {
        if (bytes <= 0 || bytes > Integer.MAX_VALUE) throw new IllegalArgumentException("size must be 1..2^31-1 bytes, not " + bytes);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // the mapping outlives the channel
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
            b.order(ByteOrder.nativeOrder());
            return new SharedMemory(file, b, owner);
        }
    }

    /** The file that backs the region: what another process passes to {@link #open}. */
    public Path path() {
        return path;
    }

    /** Size in bytes. */
    public int size() {
        return buffer.capacity();
    }

    /** The mapped bytes themselves (native byte order). */
    public MappedByteBuffer buffer() {
        return buffer;
    }

    public long getLong(int offset) { return buffer.getLong(offset); }
    public void putLong(int offset, long value) { buffer.putLong(offset, value); }
    /** Reads with acquire order: what the writer wrote before its {@link #setRelease} is visible after. */
    public long getAcquire(int offset) { return (long) LONGS.getAcquire(buffer, offset); }
    /** Writes with release order (publishes the plain writes before it). */
    public void setRelease(int offset, long value) { LONGS.setRelease(buffer, offset, value); }
    public long getVolatile(int offset) { return (long) LONGS.getVolatile(buffer, offset); }
    /** Atomic add across processes (one CPU instruction on the shared page); returns the old value. */
    public long getAndAdd(int offset, long delta) { return (long) LONGS.getAndAdd(buffer, offset, delta); }
    public boolean compareAndSet(int offset, long expected, long value) {
        return LONGS.compareAndSet(buffer, offset, expected, value);
    }

    /** Unmaps lazily (the JVM frees the mapping when unreachable); the creator deletes the file. */
    @Override
    public void close() {
        if (owner) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a temp file; deleteOnExit retries
            }
        }
    }

    // A single-producer single-consumer ring in the region, for measure():
    // [0] messages written (tail), [64] messages read (head), entries of 16 bytes from 128.
    private static final int TAIL = 0, HEAD = 64, ENTRIES = 128, CAPACITY = 1024;

    /**
     * A child JVM writes {@code n} numbered messages back to back into a ring buffer in shared
     * memory, then 500 one at a time ~50 µs apart; this JVM reads them and checks each arrives
     * once and in order. Both sides spin on the ring's counters (no system calls).
     */
    public static IpcMeasure measure(int n) {
        try (SharedMemory m = create(ENTRIES + CAPACITY * 16)) {
            String file = m.path().toString();
            int paced = Math.min(n, 500);
            ChildJvm<Integer> child = ChildJvm.fork(() -> produceRing(file, n, paced));
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (m.getAcquire(TAIL) == 0) {
                    if (System.nanoTime() > deadline || !child.isAlive()) {
                        child.get(Duration.ofSeconds(1));
                        throw new IllegalStateException("the child wrote nothing into shared memory within 60 s");
                    }
                    Thread.onSpinWait();
                }
                long t0 = System.nanoTime();
                long[] lat = new long[paced];
                for (long i = 0; i < n + paced; i++) {
                    for (int spins = 0; m.getAcquire(TAIL) == i; spins++) {
                        idle(spins);
                        if ((spins & 0xFFF) == 0xFFF && !child.isAlive()) {
                            throw new IllegalStateException("the writing child ended early: " + child);
                        }
                    }
                    int at = ENTRIES + (int) (i % CAPACITY) * 16;
                    long seq = m.getLong(at), sent = m.getLong(at + 8);
                    long now = System.nanoTime();
                    m.setRelease(HEAD, i + 1);
                    IpcMeasure.expect("shared memory", i, seq);
                    if (i >= n) lat[(int) (i - n)] = now - sent;
                    if (i == n - 1) t0 = System.nanoTime() - t0;
                }
                child.get(Duration.ofSeconds(30));
                return new IpcMeasure("shared memory", n, t0, IpcMeasure.medianMicros(lat, paced), "one-way");
            } finally {
                child.kill();
            }
        }
    }

    /**
     * Waiting for the other process: spin first (a message usually comes within microseconds),
     * then give the CPU away, since on a busy machine with few cores the other side may need it
     * to make progress at all.
     */
    static void idle(int spins) {
        if (spins < 200) Thread.onSpinWait();
        else if (spins < 400) Thread.yield();
        else java.util.concurrent.locks.LockSupport.parkNanos(20_000);
    }

    static int produceRing(String file, int n, int paced) {
        try (SharedMemory m = open(Path.of(file))) {
            for (long i = 0; i < n + paced; i++) {
                // the paced part starts on an empty ring, so it measures one message, not a backlog
                if (i == n) for (int spins = 0; m.getAcquire(HEAD) < n; spins++) idle(spins);
                if (i >= n) SocketQueue.pause(50_000);
                for (int spins = 0; i - m.getAcquire(HEAD) >= CAPACITY; spins++) idle(spins);
                int at = ENTRIES + (int) (i % CAPACITY) * 16;
                m.putLong(at, i);
                m.putLong(at + 8, System.nanoTime());
                m.setRelease(TAIL, i + 1);
            }
        }
        return n + paced;
    }
}
