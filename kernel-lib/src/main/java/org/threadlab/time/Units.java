package org.threadlab.time;

import java.util.Locale;

/** Number formatting shared by the timing tables: a few significant digits, never scientific. */
final class Units {
    private Units() {}

    /** Milliseconds with about three significant digits: {@code 0.123}, {@code 12.3}, {@code 1,234}. */
    static String ms(double ms) {
        if (Double.isNaN(ms)) return "-";
        if (ms == 0) return "0";
        double a = Math.abs(ms);
        if (a >= 100) return String.format(Locale.ROOT, "%,.0f", ms);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", ms);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", ms);
        return String.format(Locale.ROOT, "%.3f", ms);
    }

    /** A ratio such as a speed-up: {@code 3.91x}. */
    static String ratio(double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) return "-";
        return String.format(Locale.ROOT, r >= 100 ? "%.0fx" : "%.2fx", r);
    }

    /** A fraction as a percentage: {@code 12%}. */
    static String percent(double fraction) {
        if (Double.isNaN(fraction)) return "-";
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /** Seconds for progress lines: {@code 0.4 s}, {@code 12 s}, {@code 3 min 5 s}. */
    static String seconds(double s) {
        if (Double.isNaN(s) || Double.isInfinite(s)) return "?";
        if (s < 10) return String.format(Locale.ROOT, "%.1f s", s);
        if (s < 120) return String.format(Locale.ROOT, "%.0f s", s);
        long whole = Math.round(s);
        return (whole / 60) + " min " + (whole % 60) + " s";
    }
}
