package org.threadlab.time;

import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * How long one run of a block took: wall-clock time, the CPU time of this JVM (all its threads),
 * and the CPU time of child processes that ended during the run. CPU time above wall time means
 * several cores were busy at once; CPU time far below it means the block mostly waited.
 *
 * <pre>{@code
 * Timing t = Timing.of(() -> Thread.sleep(100));
 * t.wallMs();   // about 100
 * t.cpuMs();    // close to 0: sleeping uses no CPU
 * }</pre>
 *
 * Children's CPU time comes from {@code /proc/self/stat} (cutime + cstime), so it counts only
 * children that ended and were waited for (Java's {@link Process} waits for them itself);
 * it is unavailable outside Linux, where {@link #childrenCpuMs()} is {@code NaN}.
 *
 * @param <T> what the block returned ({@code Void} for a {@link Block})
 */
public final class Timing<T> implements Tabular {
    /** USER_HZ: the unit of /proc times. 100 on every mainstream Linux architecture. */
    private static final double CLOCK_TICK_NANOS = 1e9 / 100;

    private final String label;
    private final long wallNanos;
    private final long cpuNanos;
    private final long childrenCpuNanos;
    private final T result;

    private Timing(String label, long wallNanos, long cpuNanos, long childrenCpuNanos, T result) {
        this.label = label;
        this.wallNanos = wallNanos;
        this.cpuNanos = cpuNanos;
        this.childrenCpuNanos = childrenCpuNanos;
        this.result = result;
    }

    /** Runs {@code block} once and times it. Exceptions of the block pass through unchanged. */
    public static Timing<Void> of(Block block) {
        return of(() -> {
            block.run();
            return null;
        });
    }

    /**
     * Runs {@code block} once, times it and keeps its result ({@link #result()}). A checked
     * exception of the block is rethrown wrapped in a {@link RuntimeException}.
     */
    public static <T> Timing<T> of(Callable<T> block) {
        long cpu0 = processCpuNanos();
        long child0 = childrenCpuNanos();
        long t0 = System.nanoTime();
        T value;
        try {
            value = block.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new RuntimeException("the timed block threw " + e, e);
        }
        long wall = System.nanoTime() - t0;
        long cpu = processCpuNanos() - cpu0;
        long child1 = childrenCpuNanos();
        long children = child0 < 0 || child1 < 0 ? -1 : child1 - child0;
        return new Timing<>(null, wall, cpu, children, value);
    }

    /** The same timing with a name, shown as the table's title. */
    public Timing<T> named(String label) {
        return new Timing<>(label, wallNanos, cpuNanos, childrenCpuNanos, result);
    }

    /** Wall-clock time, in milliseconds. */
    public double wallMs() { return wallNanos / 1e6; }

    /** Wall-clock time, in nanoseconds. */
    public long wallNanos() { return wallNanos; }

    /**
     * CPU time of this JVM during the run, in milliseconds: every thread, including the JIT
     * compiler and the garbage collector, so other threads busy at the same time count too.
     * {@code NaN} when the JVM does not report it.
     */
    public double cpuMs() { return cpuNanos < 0 ? Double.NaN : cpuNanos / 1e6; }

    /**
     * CPU time of child processes that ended during the run, in milliseconds (user + system).
     * {@code NaN} when unavailable (not Linux).
     */
    public double childrenCpuMs() { return childrenCpuNanos < 0 ? Double.NaN : childrenCpuNanos / 1e6; }

    /** {@code true} when {@link #childrenCpuMs()} is measured (Linux). */
    public boolean childrenCpuAvailable() { return childrenCpuNanos >= 0; }

    /**
     * CPU time (this JVM plus ended children) divided by wall time: about how many cores were
     * busy on average. 1.0 for one busy thread, near 0 for waiting, up to the core count.
     */
    public double coresBusy() {
        if (wallNanos <= 0 || cpuNanos < 0) return Double.NaN;
        return (cpuNanos + Math.max(0, childrenCpuNanos)) / (double) wallNanos;
    }

    /** What the block returned ({@code null} for a {@link Block}). */
    public T result() { return result; }

    /** The timing as a table of quantity, value and meaning. */
    public Table table() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("wall time", Units.ms(wallMs()), "ms", "elapsed on the clock"));
        rows.add(List.of("CPU, this JVM", Units.ms(cpuMs()), "ms", "all its threads"));
        rows.add(List.of("CPU, children", childrenCpuAvailable() ? Units.ms(childrenCpuMs()) : "-", "ms",
                childrenCpuAvailable() ? "child processes that ended" : "unavailable: needs Linux /proc"));
        rows.add(List.of("cores busy", Double.isNaN(coresBusy()) ? "-" : String.format(java.util.Locale.ROOT, "%.2f", coresBusy()),
                "", "CPU / wall"));
        Table t = Table.of(List.of("quantity", "value", "unit", "meaning"), rows);
        return label == null ? t : t.titled(label);
    }

    @Override
    public String toString() { return table().toString(); }




    /** CPU time of this JVM so far, in nanoseconds, or -1 when the JVM does not report it. */
    static long processCpuNanos() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getProcessCpuTime();
            }
        } catch (RuntimeException | LinkageError ignored) {
            // fall through: no CPU figure rather than a failed timing
        }
        return -1;
    }

    /**
     * CPU time of ended, waited-for children so far (cutime + cstime of /proc/self/stat), in
     * nanoseconds, or -1 without /proc.
     */
    static long childrenCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the command name (field 2) may contain blanks and parentheses: count from the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // after the name: field 3 is f[0], so cutime (16) is f[13] and cstime (17) is f[14]
            long ticks = Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return Math.round(ticks * CLOCK_TICK_NANOS);
        } catch (Exception e) {
            return -1;
        }
    }
}
