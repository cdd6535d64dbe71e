package org.threadlab.lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sentences about measured outcomes, computed from the numbers of this run: each prints the
 * numbers, the threshold it uses and its conclusion, and returns the conclusion so a prediction
 * can be checked against it. Prose around an experiment says what to expect and why; these say
 * what happened.
 *
 * <pre>{@code
 * Verdict.faster("synchronized", 47.8, "ReentrantLock", 12.6, 1.25);
 * // synchronized 47.8, ReentrantLock 12.6: synchronized takes 3.79x as long ("about the same" would be within 1.25x), so ReentrantLock is faster
 * Verdict.about("speed-up with 2 threads", 1.83, 2.0, 0.15);
 * }</pre>
 */
public final class Verdict {
    private Verdict() {}

    /**
     * Compares two times (or any cost: smaller is better). Returns the name of the faster one, or
     * {@code "about the same"} when the larger is within {@code sameWithin} times the smaller.
     */
    public static String faster(String a, double timeA, String b, double timeB, double sameWithin) {
        if (sameWithin < 1) throw new IllegalArgumentException("sameWithin is a ratio of 1 or more, e.g. 1.25, not " + sameWithin);
        String slow = timeA >= timeB ? a : b, fast = timeA >= timeB ? b : a;
        double ratio = Math.max(timeA, timeB) / Math.max(Math.min(timeA, timeB), 1e-12);
        String outcome = ratio <= sameWithin ? "about the same" : fast;
        System.out.println(a + " " + fmt(timeA) + ", " + b + " " + fmt(timeB) + ": " + slow + " takes " + fmt(ratio)
                + "x as long (\"about the same\" means within " + fmt(sameWithin) + "x), so "
                + (outcome.equals("about the same") ? "they are about the same" : fast + " is faster"));
        return outcome;
    }

    /**
     * Whether {@code measured} is about {@code expected}: within {@code tolerance} (a fraction,
     * 0.15 = 15 %) of it. Prints both, how far off, the threshold and the answer.
     */
    public static boolean about(String what, double measured, double expected, double tolerance) {
        double off = expected == 0 ? Math.abs(measured) : Math.abs(measured - expected) / Math.abs(expected);
        boolean yes = off <= tolerance;
        System.out.println(what + ": " + fmt(measured) + ", expected about " + fmt(expected) + " (within "
                + pct(tolerance) + "): " + (yes ? "yes" : "no") + ", " + pct(off) + " off");
        return yes;
    }

    /**
     * Whether {@code measured} is at least {@code threshold}; prints it as
     * "what: 1.62 (at least 1.5 counts): yes".
     */
    public static boolean atLeast(String what, double measured, double threshold) {
        boolean yes = measured >= threshold;
        System.out.println(what + ": " + fmt(measured) + " (at least " + fmt(threshold) + " counts): " + (yes ? "yes" : "no"));
        return yes;
    }

    /**
     * Whether {@code measured} stays at or below {@code threshold}; prints it as
     * "what: 0.93 (at most 1.05 counts): yes".
     */
    public static boolean atMost(String what, double measured, double threshold) {
        boolean yes = measured <= threshold;
        System.out.println(what + ": " + fmt(measured) + " (at most " + fmt(threshold) + " counts): " + (yes ? "yes" : "no"));
        return yes;
    }

    /**
     * The names ordered from the smallest value to the largest, as {@code "a < b < c"}; neighbours
     * within {@code sameWithin} times each other are joined with {@code "≈"} and printed as a tie.
     */
    public static String ranking(Map<String, ? extends Number> values, double sameWithin) {
        List<Map.Entry<String, ? extends Number>> sorted = new ArrayList<>(values.entrySet());
        sorted.sort((x, y) -> Double.compare(x.getValue().doubleValue(), y.getValue().doubleValue()));
        StringBuilder order = new StringBuilder(), shown = new StringBuilder();
        for (int i = 0; i < sorted.size(); i++) {
            var e = sorted.get(i);
            if (i > 0) {
                double prev = sorted.get(i - 1).getValue().doubleValue(), cur = e.getValue().doubleValue();
                boolean tie = prev > 0 ? cur / prev <= sameWithin : cur == prev;
                order.append(tie ? " ≈ " : " < ");
                shown.append(tie ? " ≈ " : " < ");
            }
            order.append(e.getKey());
            shown.append(e.getKey()).append(" (").append(fmt(e.getValue().doubleValue())).append(')');
        }
        System.out.println("from smallest to largest: " + shown + "   (≈: within " + fmt(sameWithin) + "x of each other)");
        return order.toString();
    }

    /**
     * Whether {@code counts} (how often each thread got something: a lock, a turn) are even: every
     * thread's share within {@code tolerance} (a fraction, 0.2 = 20 %) of the fair share 1/n.
     * Prints the smallest and largest share, the fair share, the threshold and the answer.
     * <pre>{@code Verdict.evenShares("fair lock", new long[] {250, 249, 251, 250}, 0.2);}</pre>
     */
    public static boolean evenShares(String what, long[] counts, double tolerance) {
        if (counts.length == 0) throw new IllegalArgumentException("give one count per thread");
        long total = 0, min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (long c : counts) {
            total += c;
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        double fair = 100.0 / counts.length;
        double lo = total == 0 ? 0 : 100.0 * min / total, hi = total == 0 ? 0 : 100.0 * max / total;
        boolean even = total > 0 && Math.max(hi - fair, fair - lo) <= fair * tolerance;
        System.out.println(what + ": shares from " + fmt(lo) + " % to " + fmt(hi) + " % of " + String.format(Locale.ROOT, "%,d", total)
                + ", fair share " + fmt(fair) + " % (even means every share within " + pct(tolerance) + " of it, "
                + fmt(fair * (1 - tolerance)) + "-" + fmt(fair * (1 + tolerance)) + " %): " + (even ? "even" : "uneven"));
        return even;
    }

    /** Ratio of two numbers, for "x times" sentences; guards against a zero denominator. */
    public static double ratio(double a, double b) {
        return a / Math.max(b, 1e-12);
    }

    static String fmt(double v) {
        double a = Math.abs(v);
        if (a == 0) return "0";
        if (v == Math.rint(v) && a < 1e15) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 0.01) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }
}
