package org.threadlab.time;

import org.threadlab.chart.Chart;
import org.threadlab.chart.Charts;
import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several variants of the same work timed side by side, with each one's speed-up against the
 * first (the baseline): baseline median / variant median, so 2.0x means twice as fast.
 *
 * <pre>{@code
 * Comparison c = Bench.compare(Variant.of("1 thread", () -> work(1)), Variant.of("4 threads", () -> work(4)));
 * c.speedup("4 threads");   // about min(4, cores) for CPU-bound work
 * c.chart();                // bar chart of the medians
 * }</pre>
 */
public final class Comparison implements Tabular {

    private final List<Stats> results;

    /** A comparison of the given results; the first is the baseline. */
    public Comparison(List<Stats> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("nothing to compare: give at least one variant, the first is the baseline");
        }
        this.results = List.copyOf(results);
    }

    /** The statistics of every variant, baseline first. */
    public List<Stats> results() { return results; }

    /** The baseline's statistics (the first variant). */
    public Stats baseline() { return results.get(0); }

    /** The statistics of the variant named {@code name}. */
    public Stats get(String name) {
        for (Stats s : results) if (name.equals(s.label())) return s;
        throw new IllegalArgumentException("no variant named \"" + name + "\"; the variants are " + names());
    }

    /** The variants' names, baseline first. */
    public List<String> names() {
        return results.stream().map(Stats::label).toList();
    }

    /** Baseline median / this variant's median: above 1 is faster than the baseline. */
    public double speedup(String name) {
        return baseline().medianMs() / get(name).medianMs();
    }

    /** Median milliseconds by variant name, in order. */
    public Map<String, Double> mediansMs() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Stats s : results) m.put(s.label(), s.medianMs());
        return m;
    }

    /** A bar chart of the medians, with each bar labelled by its speed-up. */
    public Chart chart() {
        return Charts.bar(this);
    }

    /** The comparison as a table: medians, min, max, spread and speed-up against the baseline. */
    public Table table() {
        List<String> header = new ArrayList<>(List.of("variant", "median ms", "min ms", "max ms", "spread", "speed-up"));
        List<List<String>> rows = new ArrayList<>();
        for (Stats s : results) {
            rows.add(List.of(s.label(), Units.ms(s.medianMs()), Units.ms(s.minMs()), Units.ms(s.maxMs()),
                    Units.percent(s.spread()), Units.ratio(baseline().medianMs() / s.medianMs())));
        }
        Stats b = baseline();
        return Table.of(header, rows).withFooter("speed-up = median of \"" + b.label() + "\" / median; "
                + b.runs() + " runs each after " + b.warmup() + " warm-up");
    }

    @Override
    public String toString() { return table().toString(); }



}
