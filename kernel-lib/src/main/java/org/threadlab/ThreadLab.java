package org.threadlab;

/**
 * The helper library's front door: short static calls for notebook cells. ThreadLab's kernel
 * imports {@code static org.threadlab.ThreadLab.*} into every cell; in stock JJava or IJava load the
 * jars with {@code %jars} and add that import yourself.
 *
 * <pre>{@code
 * import static org.threadlab.ThreadLab.*;
 * ps();                       // the threads of this JVM, like ps -T -p PID
 * }</pre>
 */
public final class ThreadLab {
    private ThreadLab() {}

    // ---- sizes: small in the test suite, full in class ----

    /**
     * {@code "ci"} when notebooks run headless in the test suite, {@code "class"} otherwise
     * (the environment variable {@code THREADLAB_PROFILE}; the test runner sets it to ci).
     */
    public static String profile() {
        String p = System.getenv("THREADLAB_PROFILE");
        return p == null || p.isBlank() ? "class" : p.trim();
    }

    /**
     * Picks an experiment's size: {@code small} in the test suite, {@code full} in class.
     * <pre>{@code int tasks = sized(20, 100);   // 20 under ./threadlab test, 100 in class}</pre>
     */
    public static int sized(int small, int full) {
        return profile().equals("ci") ? small : full;
    }

    /** {@link #sized(int, int)} for large counts. */
    public static long sized(long small, long full) {
        return profile().equals("ci") ? small : full;
    }

    // ---- seeing: threads, processes, the machine, limits (org.threadlab.os) ----

    // ---- doing: threads, processes, IPC, timing, charts (org.threadlab.run, .ipc, .time, .chart) ----

    // ---- grading ----

    /**
     * Runs the visible tests of an exercise against your implementation and shows a table of
     * test, points, pass/fail and why: {@code check(BANK_ACCOUNT, BankAccount::new)}. Every test
     * has a time limit, so a deadlock costs points, not the notebook. The exercises are the
     * constants of {@link org.threadlab.grading.Exercises}.
     */
    /** Exercise bank-account: {@code check(BANK_ACCOUNT, BankAccount::new)}. */
    public static final org.threadlab.grading.Exercise<java.util.function.LongFunction<org.threadlab.grading.exercises.Account>> BANK_ACCOUNT =
            org.threadlab.grading.Exercises.BANK_ACCOUNT;
    /** Exercise bounded-buffer: {@code check(BOUNDED_BUFFER, BoundedBuffer::new)}. */
    public static final org.threadlab.grading.Exercise<java.util.function.IntFunction<org.threadlab.grading.exercises.Buffer<Integer>>> BOUNDED_BUFFER =
            org.threadlab.grading.Exercises.BOUNDED_BUFFER;
    /** Exercise parallel-sum: {@code check(PARALLEL_SUM, ParallelSum::sum)}. */
    public static final org.threadlab.grading.Exercise<org.threadlab.grading.exercises.ArraySum> PARALLEL_SUM =
            org.threadlab.grading.Exercises.PARALLEL_SUM;

    public static <S> org.threadlab.display.Table check(org.threadlab.grading.Exercise<S> exercise, S implementation) {
        return org.threadlab.grading.Check.run(exercise, implementation);
    }
}
