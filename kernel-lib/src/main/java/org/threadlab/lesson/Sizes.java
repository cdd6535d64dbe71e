package org.threadlab.lesson;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Experiment sizes that fit the run, and what a lecture should say about the machine. Lecture
 * code writes the size it wants in class ({@code scaled(100_000_000)}); the helper shrinks it when
 * the notebooks run headless in the test suite, which sets {@code THREADLAB_PROFILE=ci}, so lecture
 * code never names a test profile. {@code THREADLAB_SCALE} (a factor, e.g. 0.5 on a slow laptop)
 * overrides both.
 *
 * <pre>{@code
 * long steps = Sizes.scaled(100_000_000);   // 100,000,000 in class, 10,000,000 in the test suite
 * }</pre>
 */
public final class Sizes {
    private Sizes() {}

    /** Factor applied to sizes when THREADLAB_PROFILE is ci (the headless test run). */
    static final double CI_FACTOR = 0.1;

    /** The factor sizes are multiplied by in this run: THREADLAB_SCALE, else 0.1 under the ci profile, else 1. */
    public static double factor() {
        return factor(System.getenv("THREADLAB_SCALE"), System.getenv("THREADLAB_PROFILE"));
    }

    static double factor(String scale, String profile) {
        if (scale != null && !scale.isBlank()) {
            try {
                double f = Double.parseDouble(scale.trim());
                if (f > 0 && f <= 100) return f;
            } catch (NumberFormatException ignored) {
                // falls through: a bad value is reported and ignored
            }
            System.err.println("THREADLAB_SCALE=" + scale + " is not a factor between 0 and 100 (e.g. 0.5); using 1");
            return 1;
        }
        return profile != null && profile.trim().equals("ci") ? CI_FACTOR : 1;
    }

    /** {@code full} times {@link #factor()}, rounded to two significant digits, at least {@code 1}. */
    public static long scaled(long full) {
        return scale(full, factor());
    }

    /** {@link #scaled(long)} for int sizes. */
    public static int scaled(int full) {
        return (int) Math.min(Integer.MAX_VALUE, scale(full, factor()));
    }

    static long scale(long full, double factor) {
        if (full <= 0 || factor == 1) return full;
        double v = full * factor;
        if (v < 1) return 1;
        double magnitude = Math.pow(10, Math.max(0, Math.floor(Math.log10(v)) - 1));
        return Math.max(1, Math.round(v / magnitude) * (long) magnitude);
    }

    /**
     * The one-minute load average and the number of cores, as a sentence for the top of a lecture:
     * on a shared machine the measured numbers depend on it. -1 where the OS does not give one (Windows).
     */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The sentence {@link #loadAverage()} is printed in. */
    public static String loadLine() {
        double load = loadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        if (load < 0) return "load average: not available on " + System.getProperty("os.name") + "; " + cores + " cores";
        String busy = load >= cores ? "every core has other work: measurements below will be noisy and slower"
                : load >= cores / 2.0 ? "the machine is partly busy: measurements below may move between runs"
                : "the machine is mostly idle";
        return String.format(Locale.ROOT, "load average (last minute): %.2f on %d cores (%s)", load, cores, busy);
    }

    /** Whether this is Linux, where /proc, taskset and prlimit exist. */
    public static boolean linux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    /**
     * True on Linux; elsewhere prints what the lecture cannot show here and returns false, so the
     * cell can skip that part and the lecture goes on.
     */
    public static boolean needsLinux(String what) {
        if (linux()) return true;
        System.out.println("This part " + what + ", which only Linux has; on " + System.getProperty("os.name")
                + " it cannot be shown here. The rest of the lecture goes on; the text explains what Linux shows.");
        return false;
    }

    /** Whether {@code command} is an executable file on the PATH. */
    public static boolean hasCommand(String command) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            for (String suffix : new String[] {"", ".exe"}) {
                java.io.File f = new java.io.File(dir, command + suffix);
                if (f.isFile() && f.canExecute()) return true;
            }
        }
        return false;
    }
}
