package org.threadlab.lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A predicted curve against a measured one (a speed-up by thread count, say), judged point by
 * point with a stated tolerance, or not judged at all when this machine cannot give a fair
 * measurement now: one core (no thread count can run in parallel), or a load average, read before
 * the measurement, of half the cores or more (other work held the cores, so the measured curve
 * says more about that work than about the prediction).
 *
 * <pre>{@code
 * double loadBefore = Sizes.loadAverage();
 * // ... measure ...
 * Curves.compare("Amdahl", Map.of(1, 1.0, 2, 1.67), Map.of(1, 1.0, 2, 1.58), 0.25, loadBefore);
 * // Amdahl: predicted against measured (close means every point within 25 %):
 * //   1: predicted 1.00, measured 1.00, 0 % off
 * //   2: predicted 1.67, measured 1.58, 5 % off
 * // worst 5 % off (at 2): close
 * }</pre>
 */
public final class Curves {
    private Curves() {}

    public static final String CLOSE = "close";
    public static final String NOT_CLOSE = "not close";
    public static final String CANNOT_JUDGE = "cannot judge";

    /** The load average, as a share of the cores, from which a measurement is not judged. */
    public static final double BUSY_SHARE = 0.5;

    /**
     * Whether a curve measured now can be judged: more than one core, and {@code loadBefore} (the
     * one-minute load average read before measuring; below 0 where the OS gives none) below half
     * of them. Returns the reason it cannot, or {@code null} when it can.
     */
    public static String whyNot(double loadBefore, int cores) {
        if (cores < 2) {
            return "this machine has " + cores + " core, so no thread count can run in parallel and every curve is flat";
        }
        if (loadBefore < 0) {
            return "this OS reports no load average, so whether other work held the cores is unknown";
        }
        double limit = BUSY_SHARE * cores;
        if (loadBefore >= limit) {
            return String.format(Locale.ROOT, "the load average was %.2f on %d cores before the measurement (judged only below %s, "
                    + "half the cores): other work held the cores, so the measured curve says more about it than about the prediction",
                    loadBefore, cores, Verdict.fmt(limit));
        }
        return null;
    }

    /**
     * Compares {@code predicted} with {@code measured} at every x both have: each point's distance
     * relative to the measured value, and the worst. Prints the points, the tolerance (a fraction,
     * 0.25 = 25 %) and the verdict, and returns it: {@link #CLOSE} when every point is within the
     * tolerance, {@link #NOT_CLOSE} otherwise, {@link #CANNOT_JUDGE} when {@link #whyNot} gives a
     * reason (the points are then printed for the record, without a verdict). A {@code null}
     * prediction (a blank answer) prints "not answered yet" and returns {@link Quiz#NOT_ANSWERED}.
     * The cores are this JVM's ({@code Runtime.availableProcessors()}).
     */
    public static String compare(String what, Map<? extends Number, ? extends Number> predicted,
                                 Map<? extends Number, ? extends Number> measured, double tolerance, double loadBefore) {
        return compare(what, predicted, measured, tolerance, loadBefore, Runtime.getRuntime().availableProcessors());
    }

    /** {@link #compare(String, Map, Map, double, double)} for a given number of cores. */
    public static String compare(String what, Map<? extends Number, ? extends Number> predicted,
                                 Map<? extends Number, ? extends Number> measured, double tolerance, double loadBefore, int cores) {
        if (!(tolerance > 0)) throw new IllegalArgumentException("tolerance is a fraction above 0, e.g. 0.25 for 25 %, not " + tolerance);
        if (predicted == null) {
            System.out.println(what + ": no prediction to compare: " + Quiz.NOT_ANSWERED
                    + " (set it in the prediction cell, run that and this again)");
            return Quiz.NOT_ANSWERED;
        }
        if (measured == null || measured.isEmpty()) throw new IllegalArgumentException("no measured points to compare with");
        var p = sorted(predicted);
        var m = sorted(measured);
        List<String> lines = new ArrayList<>();
        double worst = -1, worstAt = 0;
        for (var e : m.entrySet()) {
            Double guess = p.get(e.getKey());
            if (guess == null) continue;
            double off = Math.abs(guess - e.getValue()) / Math.max(Math.abs(e.getValue()), 1e-12);
            lines.add(String.format(Locale.ROOT, "  %s: predicted %.2f, measured %.2f, %.0f %% off",
                    Verdict.fmt(e.getKey()), guess, e.getValue(), 100 * off));
            if (off > worst) {
                worst = off;
                worstAt = e.getKey();
            }
        }
        if (lines.isEmpty()) throw new IllegalArgumentException("the predicted and the measured curve share no point (x values "
                + p.keySet() + " and " + m.keySet() + ")");
        String reason = whyNot(loadBefore, cores);
        if (reason != null) {
            System.out.println(what + ": " + CANNOT_JUDGE + " the prediction here and now: " + reason + ". The points, for the record:");
            lines.forEach(System.out::println);
            if (cores >= 2 && loadBefore >= 0) {
                System.out.println("Run it again on a quieter machine (load average below " + Verdict.fmt(BUSY_SHARE * cores) + ") to judge it.");
            }
            return CANNOT_JUDGE;
        }
        System.out.println(what + ": predicted against measured (close means every point within "
                + String.format(Locale.ROOT, "%.0f %%", 100 * tolerance) + " of the measurement):");
        lines.forEach(System.out::println);
        String verdict = worst <= tolerance ? CLOSE : NOT_CLOSE;
        System.out.println(String.format(Locale.ROOT, "worst %.0f %% off (at %s): %s", 100 * worst, Verdict.fmt(worstAt), verdict));
        return verdict;
    }

    private static TreeMap<Double, Double> sorted(Map<? extends Number, ? extends Number> points) {
        var out = new TreeMap<Double, Double>();
        points.forEach((x, y) -> out.put(x.doubleValue(), y.doubleValue()));
        return out;
    }
}
