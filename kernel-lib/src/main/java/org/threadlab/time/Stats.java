package org.threadlab.time;

import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.util.Arrays;
import java.util.List;

/**
 * The wall times of repeated runs of one block, after warm-up: minimum, median, maximum and
 * spread. Compare medians; the spread says how much to trust them (above ~20% the machine was
 * busy with something else, or the runs differ).
 *
 * <pre>{@code
 * Stats s = Bench.bench(2, 7, () -> count(1_000_000));
 * s.medianMs();   // the figure to quote
 * }</pre>
 */
public final class Stats implements Tabular {

    private final String label;
    private final int warmup;
    private final double[] ms;
    private final double[] sorted;

    /** Statistics of the given run times in milliseconds (at least one), after {@code warmup} unmeasured runs. */
    public Stats(String label, int warmup, double... runMs) {
        if (runMs == null || runMs.length == 0) {
            throw new IllegalArgumentException("Stats need at least one measured run; use runs >= 1");
        }
        this.label = label;
        this.warmup = warmup;
        this.ms = runMs.clone();
        this.sorted = runMs.clone();
        Arrays.sort(sorted);
    }

    /** The name given to what was measured, or {@code null}. */
    public String label() { return label; }

    /** The same statistics under another name. */
    public Stats named(String label) { return new Stats(label, warmup, ms); }

    /** Number of measured runs. */
    public int runs() { return ms.length; }

    /** Number of runs before the measured ones, whose times were thrown away (JIT, caches). */
    public int warmup() { return warmup; }

    /** Fastest run, in milliseconds. */
    public double minMs() { return sorted[0]; }

    /** Slowest run, in milliseconds. */
    public double maxMs() { return sorted[sorted.length - 1]; }

    /** Median run, in milliseconds (the mean of the middle two for an even count). */
    public double medianMs() {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Median run, in seconds. */
    public double medianSeconds() { return medianMs() / 1000; }

    /** Mean run, in milliseconds. */
    public double meanMs() { return Arrays.stream(ms).average().orElse(Double.NaN); }

    /** (max - min) / median, as a fraction: 0.05 means the runs were within 5% of each other. */
    public double spread() { return medianMs() == 0 ? 0 : (maxMs() - minMs()) / medianMs(); }

    /** Every measured run time in milliseconds, in the order they ran. */
    public double[] runsMs() { return ms.clone(); }

    static List<String> header() {
        return List.of("what", "median ms", "min ms", "max ms", "spread", "runs");
    }

    List<String> row() {
        return List.of(label == null ? "" : label, Units.ms(medianMs()), Units.ms(minMs()), Units.ms(maxMs()),
                Units.percent(spread()), runs() + (warmup > 0 ? " (+" + warmup + " warm-up)" : ""));
    }

    /** One row: median, min, max, spread and runs. */
    public Table table() { return Table.of(header(), List.of(row())); }

    @Override
    public String toString() { return table().toString(); }



}
