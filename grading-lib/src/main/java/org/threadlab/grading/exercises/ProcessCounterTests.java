package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;
import org.threadlab.grading.Races;
import org.threadlab.ipc.SharedCounter;
import org.threadlab.run.ChildJvm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Visible tests of process-counter: students see these, and check(PROCESS_COUNTER, ...) runs them. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ProcessCounterTests {
    private final Function<String, ProcessCounter> open = Exercises.PROCESS_COUNTER.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(10)
    @DisplayName("one thread: starts at 0, counts up")
    void oneThread() {
        try (SharedCounter file = SharedCounter.create(); ProcessCounter c = open.apply(file.path().toString())) {
            assertEquals(0, c.get(), "a fresh counter file holds 0");
            assertEquals(1, c.increment(), "the first increment should return 1");
            assertEquals(2, c.increment(), "the second increment should return 2");
            assertEquals(2, c.get(), "after two increments get() should be 2");
            assertEquals(2, file.get(), "the file itself should hold 2: write the long at offset 0 in native byte order");
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(20)
    @DisplayName("two mappings of one file, raced by 8 threads, lose nothing")
    void twoMappings() throws InterruptedException {
        // two separate mappings of the same file behave like two processes: the same page, no shared Java object
        for (int round = 0; round < 3; round++) {
            try (SharedCounter file = SharedCounter.create();
                 ProcessCounter a = open.apply(file.path().toString());
                 ProcessCounter b = open.apply(file.path().toString())) {
                long[] made = new long[8];
                Races.race(8, i -> {
                    ProcessCounter mine = i % 2 == 0 ? a : b;
                    long k = 0, stop = System.nanoTime() + 300_000_000L;
                    do { mine.increment(); k++; } while ((k & 255) != 0 || System.nanoTime() < stop);
                    made[i] = k;
                });
                long expected = java.util.Arrays.stream(made).sum();
                assertEquals(expected, a.get(), expected + " increments were made through two mappings of one file, but the counter says "
                        + a.get() + ": a read followed by a write loses updates; add with one atomic instruction (a VarHandle's getAndAdd "
                        + "on the mapped buffer)");
            }
        }
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(60)
    @DisplayName("a child process counting at the same time loses nothing")
    void childProcess() throws InterruptedException {
        try (SharedCounter file = SharedCounter.create(); ProcessCounter mine = open.apply(file.path().toString())) {
            long counted = 0, interleaved = 0, theirs;
            // Counted at once, 2,000,000 here and 2,000,000 in a child JVM that takes a few hundred ms to start
            // never overlapped, and a read-then-write counter passed. So this JVM counts from before the child
            // starts until it has ended, and the child counts until it has had CHILD_CPU_MS of CPU: on a busy
            // machine that is many time slices, each a chance for the two to interleave.
            try (ChildJvm<Long> child = ChildJvm.forkStatic(ProcessCounterTests.class, "addForCpu", file.path().toString(), CHILD_CPU_MS)) {
                long until = System.nanoTime() + 45_000_000_000L, last = 0;
                do {
                    for (int i = 0; i < 4096; i++) {
                        long v = mine.increment();
                        if (v != last + 1) interleaved++;   // the child added between two of ours
                        last = v;
                    }
                    counted += 4096;
                } while (child.isAlive() && System.nanoTime() < until);
                theirs = child.get(Duration.ofSeconds(10));
            }
            assertEquals(theirs + counted, mine.get(), "this JVM added " + counted + " and a child JVM " + theirs + " to the counter "
                    + "at the same time, but it shows " + mine.get() + ": increments were lost between processes (make them atomic on "
                    + "the shared page)");
            assumeTrue(interleaved >= MIN_INTERLEAVINGS, "the child's increments came between this JVM's only "
                    + interleaved + " times: the machine did not run the two processes at the same time (too busy, or one "
                    + "core), so a lost update could not show");
        }
    }

    /** CPU time the child of {@link #childProcess} counts for, in ms. */
    static final int CHILD_CPU_MS = 300;

    /**
     * How many times other increments must have come between one thread's own before a counter that
     * lost none is judged right. Threads that only take turns on one core interleave once per time
     * slice, a few hundred times here, and a slice seldom ends between a read and its write: a
     * read-then-write counter passed so once, at 30. Threads that really run at the same time
     * interleave millions of times (the right answer: 2.7-6.0 million here, 0.65-2.9 million in the
     * hidden test), and then such a counter loses updates by the million.
     */
    public static final int MIN_INTERLEAVINGS = 10_000;

    /**
     * The child's half of {@link #childProcess}: adds 1 atomically (the helper library's {@link
     * SharedCounter}) until this thread has had {@code cpuMillis} ms of CPU. Public: a child JVM calls it.
     *
     * @return how many it added
     */
    public static long addForCpu(String file, int cpuMillis) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (SharedCounter c = SharedCounter.open(Path.of(file))) {
            long n = 0, end = mx.getCurrentThreadCpuTime() + cpuMillis * 1_000_000L;
            do {
                for (int i = 0; i < 4096; i++) c.increment();
                n += 4096;
            } while (mx.getCurrentThreadCpuTime() < end);
            return n;
        }
    }
}
