package org.threadlab.lesson;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Self-checks and predictions. An answer is a variable the student fills in; {@code null} means
 * "not answered yet", so a blank answer compiles and the notebook still runs. The explanation is
 * printed only after an answer was given and checked, so reading the output does not give it away.
 *
 * <pre>{@code
 * String answer3 = null;                                         // the student writes "more than 1"
 * Quiz.question(3, answer3, "more than 1", "The JVM starts its own threads before main.");
 * Double guess = null;                                           // a prediction: 1.9 (x faster)
 * Quiz.prediction(guess, 1.87, 1.25, "Two cores can at most halve the time.");
 * }</pre>
 */
public final class Quiz {
    private Quiz() {}

    /** What a blank answer prints: the words the test suite looks for in student copies. */
    public static final String NOT_ANSWERED = "not answered yet";

    /**
     * Checks self-check question {@code n}: prints "right" or "not quite" and then {@code why}, or
     * "not answered yet" (without {@code why}) while {@code answer} is null. Numbers are compared by
     * value (1 equals 1L and 1.0), text ignoring case and surrounding spaces, lists element by element.
     * Returns whether the answer was right.
     */
    public static boolean question(int n, Object answer, Object expected, String why) {
        if (answer == null) {
            System.out.println("question " + n + ": " + NOT_ANSWERED + " (replace null with your answer, then run this again)");
            return false;
        }
        boolean right = same(answer, expected);
        System.out.println("question " + n + ": " + (right ? "right. " : "not quite: the answer is " + show(expected) + ". ") + why);
        return right;
    }

    /**
     * Checks question {@code n} whose right answers are a range or a set: {@code right} decides
     * (it is not called while {@code answer} is null, which prints "not answered yet").
     * <pre>{@code Quiz.question(2, answer2, a -> Math.abs(a - 400) <= 50, "Two rounds of 200 ms.");}</pre>
     */
    public static <T> boolean question(int n, T answer, java.util.function.Predicate<? super T> right, String why) {
        if (answer == null) {
            System.out.println("question " + n + ": " + NOT_ANSWERED + " (replace null with your answer, then run this again)");
            return false;
        }
        boolean ok = right.test(answer);
        System.out.println("question " + n + ": " + (ok ? "right. " : "not quite. ") + why);
        return ok;
    }

    /**
     * Compares a choice (or an ordering written as text) the student predicted with the outcome the
     * cell computed from its measurements. Prints both, the verdict, then {@code why}; or "not
     * answered yet" while {@code guess} is null.
     */
    public static boolean prediction(Object guess, Object outcome, String why) {
        if (guess == null) {
            System.out.println("your prediction: " + NOT_ANSWERED + " (set it in the prediction cell, run that and this again)");
            return false;
        }
        boolean right = same(guess, outcome);
        System.out.println("you predicted " + show(guess) + "; this run gave " + show(outcome) + ": "
                + (right ? "as you predicted. " : "not what you predicted. ") + why);
        return right;
    }

    /**
     * Compares a predicted number with the measured one: right when it lies within a factor of
     * {@code factor} of it (both sides), which the output states. Prints "not answered yet" while
     * {@code guess} is null.
     */
    public static boolean prediction(Number guess, double measured, double factor, String why) {
        if (factor < 1) throw new IllegalArgumentException("factor must be 1 or more (e.g. 1.5: right within 1.5x either way), not " + factor);
        if (guess == null) {
            System.out.println("your prediction: " + NOT_ANSWERED + " (set it in the prediction cell, run that and this again)");
            return false;
        }
        double g = guess.doubleValue();
        boolean right = g > 0 && measured > 0 ? Math.max(g / measured, measured / g) <= factor : g == measured;
        System.out.println("you predicted " + Verdict.fmt(g) + "; this run measured " + Verdict.fmt(measured)
                + " (counted as close within " + Verdict.fmt(factor) + "x either way): "
                + (right ? "close. " : "not close. ") + why);
        return right;
    }

    /**
     * Compares predicted outcomes (of an exploration: every final state the threads can reach)
     * with the ones found, as sets: order, case and spaces do not matter. Prints both, what was
     * missed and what never happened, then {@code why}; or "not answered yet" while {@code guess}
     * is null.
     */
    public static boolean outcomes(java.util.Collection<?> guess, java.util.Collection<?> found, String why) {
        if (guess == null) {
            System.out.println("your prediction: " + NOT_ANSWERED + " (set it in the prediction cell, run that and this again)");
            return false;
        }
        var g = new java.util.TreeSet<String>();
        for (Object o : guess) g.add(norm(String.valueOf(o)));
        var f = new java.util.TreeSet<String>();
        for (Object o : found) f.add(norm(String.valueOf(o)));
        var missed = new java.util.TreeSet<>(f);
        missed.removeAll(g);
        var never = new java.util.TreeSet<>(g);
        never.removeAll(f);
        boolean right = missed.isEmpty() && never.isEmpty();
        System.out.println("you predicted " + g + "; this run found " + f + ": "
                + (right ? "exactly those. " : (missed.isEmpty() ? "" : "you missed " + missed + ". ")
                        + (never.isEmpty() ? "" : "never reached: " + never + ". ")) + why);
        return right;
    }

    /** Whether a student has filled in {@code answer}. */
    public static boolean answered(Object answer) {
        return answer != null;
    }

    static boolean same(Object a, Object b) {
        if (a == null || b == null) return a == b;
        if (a instanceof Number x && b instanceof Number y) {
            return Math.abs(x.doubleValue() - y.doubleValue()) <= 1e-9 * Math.max(1, Math.abs(y.doubleValue()));
        }
        if (a instanceof CharSequence x && b instanceof CharSequence y) {
            return norm(x).equals(norm(y));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!same(x.get(i), y.get(i))) return false;
            return true;
        }
        return Objects.equals(a, b);
    }

    private static String norm(CharSequence s) {
        return s.toString().trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static String show(Object o) {
        if (o instanceof CharSequence s) return "\"" + s + "\"";
        if (o instanceof Double || o instanceof Float) return Verdict.fmt(((Number) o).doubleValue());
        return String.valueOf(o);
    }
}
