package org.threadlab.grading.exercises;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How contended this machine's CPUs were over some stretches of time: Linux's pressure stall
 * information ({@code /proc/pressure/cpu}, the "some" line), which counts the time in which at least
 * one runnable task, of any process, waited for a CPU. A timing test reads it over the stretch it
 * times ({@link WallTime}), or while only one of its own threads runs (the parallel sum's plain loop,
 * so that any waiting is other programs' doing), to know whether a slow result can be blamed on the
 * code measured or only on the machine. Stretches shorter than a few clock ticks read as 0.
 *
 * <pre>{@code
 * CpuPressure meter = new CpuPressure();
 * meter.start();
 * plainLoop();
 * meter.stop();
 * double waited = meter.waitedShare();   // 0.0 = nothing waited for a CPU; NaN = the kernel does not say
 * }</pre>
 */
final class CpuPressure {
    private static final Path PSI = Path.of("/proc/pressure/cpu");

    private long wallNanos, stalledMicros, startNanos, startStalled = -1;
    private boolean unknown;

    /** Begins a stretch. */
    void start() {
        startStalled = readStalledMicros();
        startNanos = System.nanoTime();
    }

    /** Ends the stretch begun by {@link #start()}. */
    void stop() {
        long nanos = System.nanoTime();
        long stalled = readStalledMicros();
        if (startStalled < 0 || stalled < 0) {
            unknown = true;
            return;
        }
        wallNanos += nanos - startNanos;
        stalledMicros += stalled - startStalled;
    }

    /**
     * Share (0 to 1) of the stretches' wall time in which some task on this machine waited for a CPU;
     * NaN where the kernel has no pressure information (then nothing can be said of the load).
     */
    double waitedShare() {
        if (unknown || wallNanos <= 0) return Double.NaN;
        return Math.min(1.0, stalledMicros * 1000.0 / wallNanos);
    }

    /** The "some ... total=" counter, in µs since boot; -1 without PSI (kernel before 4.20, or switched off). */
    static long readStalledMicros() {
        try {
            for (String line : Files.readAllLines(PSI)) {
                if (!line.startsWith("some ")) continue;
                int at = line.indexOf("total=");
                if (at >= 0) return Long.parseLong(line.substring(at + "total=".length()).trim());
            }
        } catch (Exception e) {
            // no /proc/pressure (or not readable in this sandbox): the caller treats the load as unknown
        }
        return -1;
    }
}
