package org.threadlab.ipc;

import org.threadlab.run.ChildJvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A counter several processes add to: Python's {@code multiprocessing.Value('i', 0)}.
 * It is 8 bytes of {@link SharedMemory}; {@link #increment()} is one atomic CPU instruction
 * (lock xadd) on the shared page, so no update is lost and no system call is made. A file lock
 * would work too but costs two system calls per increment, about a hundred times slower.
 * {@link #incrementUnsafe()} reads then writes, as {@code value.value += 1} without the lock
 * does in Python: with several processes it loses updates.
 *
 * <pre>{@code
 * try (SharedCounter c = SharedCounter.create()) {
 *     String file = c.path().toString();   // a Path is not Serializable; a String is
 *     var kids = List.of(fork(() -> SharedCounter.addFrom(file, 5000, true)), fork(() -> SharedCounter.addFrom(file, 5000, true)));
 *     kids.forEach(k -> k.get());
 *     c.get();     // 10000; with false (unsafe), usually less
 * }
 * }</pre>
 */
public final class SharedCounter implements AutoCloseable {
    private final SharedMemory memory;

    private SharedCounter(SharedMemory memory) {
        this.memory = memory;
    }

    /** A new counter at 0. */
    public static SharedCounter create() {
        return new SharedCounter(SharedMemory.create(64));
    }

    /** The counter created (in any process) with this path. */
    public static SharedCounter open(Path file) {
        return new SharedCounter(SharedMemory.open(file));
    }

    /** Where the counter lives: pass it to the other processes. */
    public Path path() {
        return memory.path();
    }

    /** The current value. */
    public long get() {
        return memory.getVolatile(0);
    }

    /** Adds 1 atomically; returns the new value. */
    public long increment() {
        return memory.getAndAdd(0, 1) + 1;
    }

    /** Adds 1 by a plain read and write: not atomic, loses updates under contention. */
    public long incrementUnsafe() {
        long v = memory.getLong(0) + 1;
        memory.putLong(0, v);
        return v;
    }

    /** Adds {@code times} to the counter at {@code file}, atomically or not; returns the time it took in ns. */
    public static long addFrom(String file, int times, boolean atomic) {
        try (SharedCounter c = open(Path.of(file))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < times; i++) {
                if (atomic) c.increment();
                else c.incrementUnsafe();
            }
            return System.nanoTime() - t0;
        }
    }

    /**
     * {@code processes} child JVMs add {@code total / processes} each; checks that none was lost.
     *
     * @return increments per second (while the children ran) and the mean time of one increment
     */
    public static IpcMeasure measure(int total, int processes) {
        try (SharedCounter c = create()) {
            String file = c.path().toString();
            int each = total / processes;
            List<ChildJvm<Long>> kids = new ArrayList<>();
            try {
                for (int p = 0; p < processes; p++) kids.add(ChildJvm.fork(() -> addFrom(file, each, true)));
                long longest = 0, sum = 0;
                for (ChildJvm<Long> k : kids) {
                    long t = k.get(Duration.ofSeconds(60));
                    longest = Math.max(longest, t);
                    sum += t;
                }
                IpcMeasure.expect("shared counter", (long) each * processes, c.get());
                return new IpcMeasure("shared counter (" + processes + " processes)", each * processes, longest,
                        sum / 1e3 / ((double) each * processes), "mean per increment");
            } finally {
                kids.forEach(ChildJvm::kill);
            }
        }
    }

    /** {@link #measure(int, int)} with 2 processes. */
    public static IpcMeasure measure(int total) {
        return measure(total, 2);
    }

    @Override
    public void close() {
        memory.close();
    }

    @Override
    public String toString() {
        return "SharedCounter[" + get() + " at " + path() + "]";
    }
}
