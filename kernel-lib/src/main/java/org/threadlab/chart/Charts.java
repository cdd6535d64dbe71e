package org.threadlab.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.XYItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.threadlab.display.Activity;
import org.threadlab.time.Comparison;
import org.threadlab.time.Stats;

import java.awt.geom.Ellipse2D;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Charts of timings, speed-ups, throughput and thread activity, in one readable look (flat,
 * white, large type, colour-blind-safe colours). Every call returns a {@link Chart}, which shows
 * as a PNG in a notebook and saves with {@link Chart#save}.
 *
 * <pre>{@code
 * Charts.bar("Counting to 10^8", Map.of("1 thread", 410, "4 threads", 205), "wall time (ms)");
 * Charts.speedup("Speed-up of counting", Map.of(1, 4.1, 2, 2.1, 4, 2.05), 2);
 * Charts.timeline("Who ran when", activities);
 * }</pre>
 */
public final class Charts {
    private Charts() {}

    // ---- bars ----

    /**
     * A bar per entry, in the map's order (use a {@link LinkedHashMap} or {@code Map.of} sorted
     * by name), each labelled with its value.
     *
     * @param valueLabel the value axis, with its unit: {@code "wall time (ms)"}
     */
    public static Chart bar(String title, Map<String, ? extends Number> values, String valueLabel) {
        requireValues(values, "bar(title, values, label)");
        values = ordered(values);
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            data.addValue(number(e.getValue(), e.getKey()), "value", e.getKey());
        }
        String unit = unitOf(valueLabel);
        Chart c = barChart(title, null, valueLabel, data, (ds, row, col) -> Fmt.sig(ds.getValue(row, col).doubleValue()) + unit);
        return described(c, "bar chart \"" + title + "\" (" + valueLabel + "): " + list(values, unit));
    }

    /** Bars of the medians of timed runs (their labels are the names given to the {@link Stats}). */
    public static Chart bar(String title, List<Stats> stats) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Stats s : stats) {
            String name = s.label() == null ? "run " + (m.size() + 1) : s.label();
            m.put(name, s.medianMs());
        }
        return bar(title, m, "median wall time (ms)");
    }

    /** Bars of a comparison's medians, each labelled with its time and speed-up against the baseline. */
    public static Chart bar(Comparison comparison) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Stats s : comparison.results()) data.addValue(s.medianMs(), "median", s.label());
        double base = comparison.baseline().medianMs();
        String title = "Median wall time";
        String sub = "speed-up against \"" + comparison.baseline().label() + "\", "
                + comparison.baseline().runs() + " runs each";
        Chart c = barChart(title, sub, "median wall time (ms)", data, (ds, row, col) -> {
            double v = ds.getValue(row, col).doubleValue();
            return Fmt.sig(v) + " ms  " + (col == 0 ? "baseline" : Fmt.ratio(base / v));
        });
        // the baseline in grey, so the eye compares the coloured bars against it
        CategoryPlot plot = (CategoryPlot) c.jfree().getPlot();
        BarRenderer old = (BarRenderer) plot.getRenderer();
        BarRenderer r = new BarRenderer() {
            @Override
            public java.awt.Paint getItemPaint(int row, int column) {
                return column == 0 ? Style.GREY : Style.BLUE;
            }
        };
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        r.setMaximumBarWidth(old.getMaximumBarWidth());
        r.setDefaultItemLabelGenerator(old.getDefaultItemLabelGenerator());
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelFont(old.getDefaultItemLabelFont());
        r.setDefaultItemLabelPaint(old.getDefaultItemLabelPaint());
        r.setDefaultPositiveItemLabelPosition(old.getDefaultPositiveItemLabelPosition());
        r.setItemLabelInsets(old.getItemLabelInsets());
        plot.setRenderer(r);
        StringJoiner j = new StringJoiner(", ");
        for (Stats s : comparison.results()) {
            j.add(s.label() + " " + Fmt.sig(s.medianMs()) + " ms (" + Fmt.ratio(base / s.medianMs()) + ")");
        }
        return described(c, "bar chart of median wall time: " + j);
    }

    /**
     * Throughput of several ways of doing the same thing (pipes, sockets, shared memory), as
     * horizontal bars; {@code log} draws a logarithmic axis for values that differ by orders of
     * magnitude.
     *
     * @param unit the values' unit, for the axis and labels: {@code "MB/s"}, {@code "messages/s"}
     */
    public static Chart throughput(String title, Map<String, ? extends Number> perSecond, String unit, boolean log) {
        requireValues(perSecond, "throughput(title, values, unit, log)");
        perSecond = ordered(perSecond);
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, ? extends Number> e : perSecond.entrySet()) {
            double v = number(e.getValue(), e.getKey());
            if (log && v <= 0) {
                throw new IllegalArgumentException("\"" + e.getKey() + "\" is " + v + ": a log axis needs values above 0 (use log = false)");
            }
            data.addValue(v, "throughput", e.getKey());
        }
        String axisLabel = "throughput (" + unit + ")" + (log ? ", log scale" : "");
        Chart c = barChart(title, null, axisLabel, data,
                (ds, row, col) -> Fmt.si(ds.getValue(row, col).doubleValue(), unit));
        CategoryPlot plot = (CategoryPlot) c.jfree().getPlot();
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        r.setItemLabelInsets(new RectangleInsets(6, 6, 6, 6));
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        if (log) {
            double min = Double.MAX_VALUE, max = 0;
            for (Number n : perSecond.values()) {
                min = Math.min(min, n.doubleValue());
                max = Math.max(max, n.doubleValue());
            }
            LogAxis axis = new LogAxis(axisLabel);
            axis.setBase(10);
            axis.setNumberFormatOverride(Fmt.siFormat(unit));
            // whole decades around the data, and room on the right for the value labels
            double low = Math.pow(10, Math.floor(Math.log10(min)) - (min == max ? 1 : 0));
            double high = Math.pow(10, Math.log10(max) + Math.max(0.6, (Math.log10(max) - Math.log10(low)) * 0.3));
            axis.setRange(low, high);
            axis.setSmallestValue(low);
            axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));   // one tick per decade
            Style.axis(axis);
            plot.setRangeAxis(axis);
            r.setBase(low);
        } else {
            plot.getRangeAxis().setUpperMargin(0.25);
            ((NumberAxis) plot.getRangeAxis()).setNumberFormatOverride(Fmt.siFormat(unit));
        }
        return described(c, "throughput chart \"" + title + "\" (" + unit + "): " + list(perSecond, " " + unit));
    }

    private static Chart barChart(String title, String subtitle, String valueLabel, CategoryDataset data,
                                  CategoryLabels labels) {
        NumberAxis valueAxis = new NumberAxis(valueLabel);
        valueAxis.setUpperMargin(0.15);
        valueAxis.setNumberFormatOverride(Fmt.axisFormat());
        org.jfree.chart.axis.CategoryAxis categories = new org.jfree.chart.axis.CategoryAxis(null);
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        r.setMaximumBarWidth(0.18);
        r.setItemMargin(0.05);
        r.setSeriesPaint(0, Style.BLUE);
        r.setDefaultItemLabelGenerator(labels);
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelFont(Style.ITEM_LABEL);
        r.setDefaultItemLabelPaint(Style.TEXT);
        r.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        r.setItemLabelInsets(new RectangleInsets(4, 4, 4, 4));
        CategoryPlot plot = new CategoryPlot(data, categories, valueAxis, r);
        JFreeChart chart = new JFreeChart(title, Style.TITLE, plot, false);
        Style.apply(chart, subtitle);
        if (data.getColumnCount() > 6) {
            categories.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        return new Chart(chart, Chart.WIDTH, Chart.HEIGHT, title);
    }

    /** Item labels of bars: one method, so a lambda will do. */
    @FunctionalInterface
    interface CategoryLabels extends CategoryItemLabelGenerator {
        String label(CategoryDataset ds, int row, int column);

        @Override default String generateLabel(CategoryDataset ds, int row, int column) { return label(ds, row, column); }
        @Override default String generateRowLabel(CategoryDataset ds, int row) { return String.valueOf(ds.getRowKey(row)); }
        @Override default String generateColumnLabel(CategoryDataset ds, int column) { return String.valueOf(ds.getColumnKey(column)); }
    }

    // ---- lines ----

    /**
     * Speed-up against the number of threads (or processes), from the time each count took:
     * speed-up(n) = time(fewest) / time(n). Draws the ideal (linear) line and marks the core count,
     * where the measured line should bend.
     *
     * @param timeByThreads a time for each thread count, in any one unit (ms or s)
     * @param cores         the machine's cores, marked with a vertical line (0 for no marker)
     */
    public static Chart speedup(String title, Map<Integer, ? extends Number> timeByThreads, int cores) {
        if (timeByThreads == null || timeByThreads.isEmpty()) {
            throw new IllegalArgumentException("speedup(title, times, cores) needs a time per thread count, e.g. Map.of(1, 400.0, 2, 210.0)");
        }
        TreeMap<Integer, Double> times = new TreeMap<>();
        for (Map.Entry<Integer, ? extends Number> e : timeByThreads.entrySet()) {
            if (e.getKey() == null || e.getKey() < 1) {
                throw new IllegalArgumentException("thread counts must be 1 or more, got " + e.getKey());
            }
            double t = number(e.getValue(), e.getKey() + " threads");
            if (!(t > 0)) throw new IllegalArgumentException("the time for " + e.getKey() + " threads is " + t + ": times must be above 0");
            times.put(e.getKey(), t);
        }
        int base = times.firstKey();
        double baseTime = times.get(base);
        XYSeries measured = new XYSeries("measured");
        XYSeries ideal = new XYSeries(base == 1 ? "ideal (linear)" : "ideal (linear from " + base + ")");
        StringJoiner desc = new StringJoiner(", ");
        for (Map.Entry<Integer, Double> e : times.entrySet()) {
            double s = baseTime / e.getValue() * base;
            measured.add((double) e.getKey(), s);
            desc.add(e.getKey() + ": " + Fmt.ratio(s));
        }
        int maxX = Math.max(times.lastKey(), cores);
        ideal.add(0.0, 0.0);
        ideal.add((double) maxX, (double) maxX);
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(measured);
        data.addSeries(ideal);

        XYPlot plot = linePlot(data, "threads", "speed-up (×)");
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        r.setSeriesPaint(1, Style.GREY);
        r.setSeriesStroke(1, Style.DASHED);
        r.setSeriesShapesVisible(1, false);
        r.setSeriesItemLabelsVisible(0, true);
        r.setSeriesItemLabelGenerator(0, (XYItemLabelGenerator) (ds, s, i) -> Fmt.ratio(ds.getYValue(s, i)));
        r.setSeriesItemLabelFont(0, Style.ITEM_LABEL);
        r.setSeriesItemLabelPaint(0, Style.BLUE);
        // above and to the left of each point: a label centred over it is crossed by the cores
        // line whenever a point sits at x = cores (the ideal line runs to the right, away from it)
        r.setSeriesPositiveItemLabelPosition(0, new ItemLabelPosition(ItemLabelAnchor.OUTSIDE10, TextAnchor.BOTTOM_RIGHT));
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setRange(0, maxX + 0.5);
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        y.setRange(0, Math.max(maxX, measured.getMaxY()) * 1.08 + 0.3);
        if (cores > 0) {
            ValueMarker m = new ValueMarker(cores, Style.ORANGE, Style.DASHED);
            m.setLabel(cores + (cores == 1 ? " core" : " cores"));
            m.setLabelFont(Style.LEGEND);
            m.setLabelPaint(Style.ORANGE.darker());
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            m.setLabelOffset(new RectangleInsets(8, 8, 8, 8));
            m.setLabelBackgroundColor(Style.TRANSPARENT);
            plot.addDomainMarker(m);
        }
        JFreeChart chart = new JFreeChart(title, Style.TITLE, plot, true);
        Style.apply(chart, cores > 0 ? "speed-up = time with " + base + (base == 1 ? " thread" : " threads")
                + " / time; this machine has " + cores + (cores == 1 ? " core" : " cores") : null);
        return new Chart(chart, Chart.WIDTH, Chart.HEIGHT,
                "speed-up chart \"" + title + "\" (" + cores + " cores): " + desc);
    }

    /**
     * Lines through points: one line per named series, x and y in the given units.
     * <pre>{@code Charts.line("Latency", "threads", "latency (ms)", Map.of("pipe", Map.of(1, 0.2, 2, 0.3)))}</pre>
     */
    public static Chart line(String title, String xLabel, String yLabel,
                             Map<String, ? extends Map<? extends Number, ? extends Number>> series) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("line(...) needs at least one series: Map.of(\"name\", Map.of(x1, y1, x2, y2))");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        StringJoiner desc = new StringJoiner("; ");
        for (Map.Entry<String, ? extends Map<? extends Number, ? extends Number>> e : ordered(series).entrySet()) {
            XYSeries s = new XYSeries(e.getKey());   // XYSeries sorts by x itself
            for (Map.Entry<? extends Number, ? extends Number> p : e.getValue().entrySet()) {
                s.add(number(p.getKey(), e.getKey()), number(p.getValue(), e.getKey()));
            }
            data.addSeries(s);
            desc.add(e.getKey() + " (" + s.getItemCount() + " points)");
        }
        XYPlot plot = linePlot(data, xLabel, yLabel);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        boolean wholeX = true;
        for (int i = 0; i < data.getSeriesCount(); i++) {
            for (int j = 0; j < data.getItemCount(i); j++) {
                double x = data.getXValue(i, j);
                if (x != Math.rint(x)) wholeX = false;
            }
        }
        if (wholeX) ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());   // threads: no 2.5
        JFreeChart chart = new JFreeChart(title, Style.TITLE, plot, series.size() > 1);
        Style.apply(chart, null);
        return new Chart(chart, Chart.WIDTH, Chart.HEIGHT, "line chart \"" + title + "\" (" + xLabel + " vs " + yLabel + "): " + desc);
    }

    private static XYPlot linePlot(XYDataset data, String xLabel, String yLabel) {
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        x.setNumberFormatOverride(Fmt.axisFormat());
        NumberAxis y = new NumberAxis(yLabel);
        y.setNumberFormatOverride(Fmt.axisFormat());
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesPaint(i, Style.palette(i));
            r.setSeriesStroke(i, Style.LINE);
            r.setSeriesShape(i, new Ellipse2D.Double(-6, -6, 12, 12));
        }
        r.setDrawOutlines(false);
        r.setUseFillPaint(false);
        return new XYPlot(data, x, y, r);
    }

    // ---- timeline ----

    /**
     * One row per thread, grouped by process, time across (ms from the start of the recording),
     * each stretch coloured by its category: the thread's state (R running, S sleeping, ...),
     * the CPU it ran on, or the task it ran.
     *
     * @throws IllegalArgumentException when {@code activities} is empty, saying why that happens
     */
    public static Chart timeline(String title, List<Activity> activities) {
        return Timeline.chart(title, activities);
    }

    /** {@link #timeline(String, List)} titled "Thread activity". */
    public static Chart timeline(List<Activity> activities) {
        return timeline("Thread activity", activities);
    }

    // ---- helpers ----

    static Chart described(Chart c, String description) {
        return new Chart(c.jfree(), c.width(), c.height(), description);
    }

    /**
     * The map in its own order when it has one (LinkedHashMap, TreeMap), otherwise sorted by key
     * in natural order ("2 threads" before "10 threads"): Map.of has no order, and bars that
     * change places from run to run confuse.
     */
    static <V> Map<String, V> ordered(Map<String, V> m) {
        if (m instanceof java.util.SequencedMap<String, V>) return m;
        TreeMap<String, V> sorted = new TreeMap<>(new Timeline.NaturalOrder());
        sorted.putAll(m);
        return sorted;
    }

    private static void requireValues(Map<String, ? extends Number> values, String call) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(call + " needs at least one value, e.g. Map.of(\"1 thread\", 410, \"4 threads\", 205)");
        }
    }

    private static double number(Number n, Object what) {
        if (n == null) throw new IllegalArgumentException("no value for \"" + what + "\": every entry needs a number");
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("the value for \"" + what + "\" is " + d + ": charts need finite numbers");
        }
        return d;
    }

    /** " ms" from "wall time (ms)"; "" when the label has no unit in parentheses. */
    static String unitOf(String label) {
        if (label == null) return "";
        int open = label.lastIndexOf('('), close = label.lastIndexOf(')');
        if (open < 0 || close < open) return "";
        String u = label.substring(open + 1, close).trim();
        return u.isEmpty() || u.equals("×") || u.equals("x") ? "" : " " + u;
    }

    private static String list(Map<String, ? extends Number> values, String unit) {
        StringJoiner j = new StringJoiner(", ");
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            j.add(e.getKey() + " " + Fmt.sig(e.getValue().doubleValue()) + unit);
        }
        return j.toString();
    }

    /** Number formats for labels: a few significant digits, thousands separators, SI prefixes. */
    static final class Fmt {
        private Fmt() {}

        static String sig(double v) {
            double a = Math.abs(v);
            if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
            if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
            if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
            if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
            if (a == 0) return "0";
            return String.format(Locale.ROOT, "%.3g", v);
        }

        static String ratio(double r) {
            return String.format(Locale.ROOT, r >= 100 ? "%.0f×" : "%.1f×", r);
        }

        /** 1.2e9 and "B/s" give "1.20 GB/s"; a unit starting with a word gets a blank: "1.20 G messages/s". */
        static String si(double v, String unit) {
            double a = Math.abs(v);
            String prefix = "";
            if (a >= 1e9) { v /= 1e9; prefix = "G"; }
            else if (a >= 1e6) { v /= 1e6; prefix = "M"; }
            String u = unit == null ? "" : unit.trim();
            boolean glue = !prefix.isEmpty() && u.length() > 0 && u.length() <= 3 && !u.contains(" ")
                    || u.matches("[A-Za-z]{1,2}/s");
            if (prefix.isEmpty()) return sig(v) + (u.isEmpty() ? "" : " " + u);
            return sig(v) + " " + prefix + (glue ? u : (u.isEmpty() ? "" : " " + u));
        }

        /** Axis ticks with SI prefixes and no unit (the axis label has it): 100 M, 1 G. */
        static java.text.NumberFormat siFormat(String unit) {
            return new java.text.NumberFormat() {
                @Override
                public StringBuffer format(double number, StringBuffer to, java.text.FieldPosition pos) {
                    String s = si(number, "");
                    int sp = s.indexOf(' ');
                    String num = sp < 0 ? s : s.substring(0, sp), rest = sp < 0 ? "" : s.substring(sp);
                    if (num.contains(".")) num = num.replaceAll("0+$", "").replaceAll("\\.$", "");
                    return to.append(num).append(rest);
                }

                @Override
                public StringBuffer format(long number, StringBuffer to, java.text.FieldPosition pos) {
                    return format((double) number, to, pos);
                }

                @Override
                public Number parse(String source, java.text.ParsePosition pos) {
                    return null;
                }
            };
        }

        static java.text.NumberFormat axisFormat() {
            java.text.DecimalFormat f = new java.text.DecimalFormat("#,##0.###",
                    java.text.DecimalFormatSymbols.getInstance(Locale.ROOT));
            return f;
        }
    }

}
