package org.threadlab.run;

/**
 * Ready-made CPU work for experiments, on the class path of every child JVM, so process
 * experiments work from any notebook cell.
 *
 * <pre>{@code
 * Tasks.countTo(1_000_000);                                   // the seeds' task, in this thread
 * processPool(2).map(List.of(1_000_000, 1_000_000), Tasks.countTo());   // in worker JVMs
 * }</pre>
 */
public final class Tasks {
    private Tasks() {}

    /**
     * Counts from 0 to {@code n}, mixing each step into a value the JIT compiler cannot fold
     * away (a plain {@code for (i..) ;} loop would be removed and take no time at all).
     * About 1 ns per step when compiled; returns the mixed value, so callers can check that
     * different threads or processes computed the same thing.
     */
    public static long countTo(long n) {
        return org.threadlab.time.Work.count(n);
    }

    /** {@link #countTo(long)} as a function a process pool can ship: {@code pool.map(sizes, Tasks.countTo())}. */
    public static SerializableFunction<Integer, Long> countTo() {
        return new CountTo();
    }

    /** Sleeps {@code millis} ms and returns it: an I/O-like task that holds no CPU. */
    public static long sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return millis;
    }

    /** {@link #sleep(long)} as a function a process pool can ship. */
    public static SerializableFunction<Integer, Long> sleeper() {
        return new Sleep();
    }

    // Named classes, not lambdas: a lambda written here would be fine too, but a named class
    // keeps the shipped form readable in error messages ("Tasks$CountTo").
    private static final class CountTo implements SerializableFunction<Integer, Long> {
        @Override
        public Long apply(Integer n) {
            return countTo(n);
        }

        @Override
        public String toString() {
            return "Tasks.countTo()";
        }
    }

    private static final class Sleep implements SerializableFunction<Integer, Long> {
        @Override
        public Long apply(Integer ms) {
            return sleep(ms);
        }

        @Override
        public String toString() {
            return "Tasks.sleeper()";
        }
    }
}
