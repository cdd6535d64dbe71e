package org.threadlab.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.threadlab.display.Activity;

import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The activity timeline: a Gantt chart of threads, drawn as a horizontal interval plot. */
final class Timeline {
    private Timeline() {}

    /** Most rows drawn; more would be unreadable, and the description says how many were left out. */
    static final int MAX_ROWS = 60;

    /** Readable words for Linux thread states (the letters of ps and /proc/PID/task/TID/stat) and Java's. */
    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("R", "running"),
            Map.entry("S", "sleeping"),
            Map.entry("D", "waiting on I/O (uninterruptible)"),
            Map.entry("I", "idle"),
            Map.entry("T", "stopped"),
            Map.entry("t", "stopped by debugger"),
            Map.entry("Z", "zombie"),
            Map.entry("X", "dead"),
            Map.entry("W", "paging"),
            Map.entry("P", "parked"));

    /** Fixed colours, so the same state always looks the same across charts. */
    private static final Map<String, Color> FIXED = Map.ofEntries(
            Map.entry("R", Style.GREEN), Map.entry("RUNNABLE", Style.GREEN), Map.entry("running", Style.GREEN),
            Map.entry("S", Style.SKY), Map.entry("WAITING", Style.SKY), Map.entry("sleeping", Style.SKY),
            Map.entry("TIMED_WAITING", Style.BLUE),
            Map.entry("D", Style.VERMILLION), Map.entry("BLOCKED", Style.VERMILLION),
            Map.entry("I", new Color(0xBBBBBB)), Map.entry("NEW", new Color(0xBBBBBB)),
            Map.entry("T", Style.PURPLE), Map.entry("t", Style.PURPLE),
            Map.entry("Z", Style.BLACK), Map.entry("X", Style.BLACK), Map.entry("TERMINATED", Style.BLACK),
            Map.entry("W", Style.ORANGE), Map.entry("P", Style.YELLOW),
            Map.entry(org.threadlab.time.Gil.RUNS, Style.GREEN), Map.entry(org.threadlab.time.Gil.WAITS, Style.VERMILLION),
            Map.entry(org.threadlab.time.Gil.IO, Style.SKY));

    static Chart chart(String title, List<Activity> activities) {
        if (activities == null || activities.isEmpty()) {
            throw new IllegalArgumentException("no activity to draw: the recording has no samples. Record while the "
                    + "work runs (start the watcher before the threads, stop it after they end), and make the work "
                    + "last longer than the sampling interval.");
        }
        activities = coalesce(activities);
        // rows grouped by process, processes in order of their first activity
        Map<String, Long> groupStart = new HashMap<>();
        Map<String, Long> rowStart = new HashMap<>();
        long t0 = Long.MAX_VALUE, t1 = Long.MIN_VALUE;
        for (Activity a : activities) {
            groupStart.merge(a.group(), a.startNanos(), Math::min);
            rowStart.merge(key(a), a.startNanos(), Math::min);
            t0 = Math.min(t0, a.startNanos());
            t1 = Math.max(t1, a.endNanos());
        }
        List<String> rowKeys = new ArrayList<>(rowStart.keySet());
        Map<String, String> groupOf = new HashMap<>(), nameOf = new HashMap<>();
        for (Activity a : activities) {
            groupOf.put(key(a), a.group());
            nameOf.put(key(a), a.row());
        }
        // within a process: "main" first, then by name, digits as numbers (worker-2 before worker-10)
        rowKeys.sort(Comparator.<String>comparingLong(k -> groupStart.get(groupOf.get(k)))
                .thenComparing(groupOf::get)
                .thenComparing(k -> !nameOf.get(k).equals("main"))
                .thenComparing(new NaturalOrder().onResultOf(nameOf::get))
                .thenComparingLong(rowStart::get));
        int hidden = Math.max(0, rowKeys.size() - MAX_ROWS);
        if (hidden > 0) rowKeys = firstRowsOfEachGroup(rowKeys, groupOf);
        List<String> groups = new ArrayList<>();
        for (String k : rowKeys) if (!groups.contains(groupOf.get(k))) groups.add(groupOf.get(k));
        boolean headers = groups.size() > 1;
        // with several processes each gets a header row ("▾ pid 4242 java") above its threads
        Map<String, Integer> index = new HashMap<>();
        List<String> labelList = new ArrayList<>();
        Map<String, int[]> groupRows = new LinkedHashMap<>();
        String current = null;
        for (String k : rowKeys) {
            String g = groupOf.get(k);
            if (headers && !g.equals(current)) {
                groupRows.put(g, new int[] {labelList.size(), labelList.size()});
                labelList.add("\u25BE " + g);
                current = g;
            }
            index.put(k, labelList.size());
            if (headers) groupRows.get(g)[1] = labelList.size();
            labelList.add(headers ? "   " + nameOf.get(k) : nameOf.get(k));
        }
        String[] labels = labelList.toArray(new String[0]);

        // one series per category: categories sorted naturally ("cpu 2" before "cpu 10")
        TreeSet<String> categories = new TreeSet<>(Comparator.comparingInt(Timeline::rank).thenComparing(new NaturalOrder()));
        for (Activity a : activities) categories.add(a.category() == null ? "?" : a.category());
        Map<String, XYIntervalSeries> series = new LinkedHashMap<>();
        for (String c : categories) series.put(c, new XYIntervalSeries(c, false, true));   // unsorted: adding stays O(1)
        for (Activity a : activities) {
            Integer row = index.get(key(a));
            if (row == null) continue;
            double s = a.startNanos() / 1e6, e = a.endNanos() / 1e6;
            series.get(a.category() == null ? "?" : a.category()).add(row, row - 0.36, row + 0.36, s, s, e);
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        for (XYIntervalSeries s : series.values()) data.addSeries(s);

        SymbolAxis rows = new SymbolAxis(null, labels);
        rows.setInverted(true);
        rows.setGridBandsVisible(false);
        rows.setRange(-0.6, labels.length - 0.4);
        NumberAxis time = new NumberAxis("time (ms)");
        time.setNumberFormatOverride(Charts.Fmt.axisFormat());
        time.setAutoRangeIncludesZero(t0 / 1e6 < (t1 - t0) / 1e6 * 0.2);
        time.setLowerMargin(0.01);
        time.setUpperMargin(0.01);

        XYBarRenderer r = new XYBarRenderer();
        r.setUseYInterval(true);
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        LegendItemCollection legend = new LegendItemCollection();
        // categories without a fixed colour take the palette's, minus those fixed states use here
        List<Color> taken = categories.stream().map(FIXED::get).filter(java.util.Objects::nonNull).toList();
        List<Color> palette = new ArrayList<>();
        for (Color c : Style.PALETTE) if (!taken.contains(c)) palette.add(c);
        if (taken.contains(Style.SKY)) palette.remove(Style.BLUE);   // too close to tell apart on a projector
        if (palette.isEmpty()) palette.addAll(List.of(Style.PALETTE));
        int i = 0, free = 0;
        for (String c : categories) {
            Color colour = FIXED.get(c);
            if (colour == null) colour = palette.get(free++ % palette.size());
            r.setSeriesPaint(i, colour);
            String word = WORDS.get(c);
            LegendItem item = new LegendItem(word == null ? c : c + " " + word, null, null, null,
                    new Rectangle2D.Double(-8, -8, 16, 16), colour);
            item.setLabelFont(Style.LEGEND);
            legend.add(item);
            i++;
        }

        XYPlot plot = new XYPlot(data, rows, time, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setFixedLegendItems(legend);
        plot.setDomainGridlinesVisible(false);

        // shaded bands tell the processes apart
        int g = 0;
        for (int[] span : groupRows.values()) {
            plot.addDomainMarker(new IntervalMarker(span[0] - 0.5, span[1] + 0.5, g++ % 2 == 0 ? Style.BAND : Color.WHITE),
                    Layer.BACKGROUND);
        }

        JFreeChart chart = new JFreeChart(title, Style.TITLE, plot, categories.size() <= 12);
        String sub = rowKeys.size() + (rowKeys.size() == 1 ? " thread" : " threads")
                + (groups.size() == 1 ? " of " + groups.get(0) : "")
                + (groups.size() > 1 ? " in " + groups.size() + " processes" : "")
                + (hidden > 0 ? " (" + hidden + " more not shown)" : "");
        Style.apply(chart, sub);
        if (labels.length > 16) rows.setTickLabelFont(new Font(Style.FAMILY, Font.PLAIN, labels.length > 30 ? 11 : 14));
        int height = Math.max(Chart.HEIGHT, Math.min(1080, 190 + 30 * labels.length));   // at most a projector's height
        String desc = "timeline \"" + title + "\": " + sub + ", " + String.format(java.util.Locale.ROOT, "%.1f", (t1 - t0) / 1e6)
                + " ms, " + activities.size() + " stretches coloured by " + String.join(", ", categories);
        return new Chart(chart, Chart.WIDTH, height, desc);
    }

    /** Legend order: Linux states by how often they matter, then Java's, then anything else. */
    private static final List<String> ORDER = List.of("R", "S", "D", "I", "T", "t", "Z", "X", "W", "P",
            "RUNNABLE", "BLOCKED", "WAITING", "TIMED_WAITING", "NEW", "TERMINATED",
            org.threadlab.time.Gil.RUNS, org.threadlab.time.Gil.WAITS, org.threadlab.time.Gil.IO);

    private static int rank(String category) {
        int i = ORDER.indexOf(category);
        return i < 0 ? ORDER.size() : i;
    }

    /** {@link #MAX_ROWS} rows taken in turn from each process, so that none disappears, in their order. */
    private static List<String> firstRowsOfEachGroup(List<String> rowKeys, Map<String, String> groupOf) {
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        for (String k : rowKeys) byGroup.computeIfAbsent(groupOf.get(k), g -> new ArrayList<>()).add(k);
        java.util.Set<String> kept = new java.util.HashSet<>();
        for (int depth = 0; kept.size() < MAX_ROWS; depth++) {
            for (List<String> rows : byGroup.values()) {
                if (depth < rows.size() && kept.size() < MAX_ROWS) kept.add(rows.get(depth));
            }
        }
        return rowKeys.stream().filter(kept::contains).toList();
    }

    /** Joins back-to-back stretches of one thread in one category, so they draw as one bar without seams. */
    static List<Activity> coalesce(List<Activity> in) {
        List<Activity> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparing(Activity::group).thenComparing(Activity::row).thenComparingLong(Activity::startNanos));
        List<Activity> out = new ArrayList<>(sorted.size());
        Activity last = null;
        for (Activity a : sorted) {
            if (last != null && last.group().equals(a.group()) && last.row().equals(a.row())
                    && java.util.Objects.equals(last.category(), a.category())
                    && a.startNanos() <= last.endNanos() && a.startNanos() >= last.startNanos()) {
                last = new Activity(last.group(), last.row(), last.startNanos(), Math.max(last.endNanos(), a.endNanos()), last.category());
                out.set(out.size() - 1, last);
            } else {
                out.add(a);
                last = a;
            }
        }
        return out;
    }

    private static String key(Activity a) {
        return a.group() + "\u0000" + a.row();
    }

    /** Orders "worker-2" before "worker-10": digit runs compare as numbers. */
    static final class NaturalOrder implements Comparator<String> {
        @Override
        public int compare(String a, String b) {
            int i = 0, j = 0;
            while (i < a.length() && j < b.length()) {
                char x = a.charAt(i), y = b.charAt(j);
                if (Character.isDigit(x) && Character.isDigit(y)) {
                    int si = i, sj = j;
                    while (i < a.length() && Character.isDigit(a.charAt(i))) i++;
                    while (j < b.length() && Character.isDigit(b.charAt(j))) j++;
                    String na = a.substring(si, i).replaceFirst("^0+(?=.)", ""), nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                    int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                    if (c != 0) return c;
                } else {
                    if (x != y) return Character.compare(x, y);
                    i++;
                    j++;
                }
            }
            return Integer.compare(a.length() - i, b.length() - j);
        }

        <T> Comparator<T> onResultOf(java.util.function.Function<T, String> f) {
            return (p, q) -> compare(f.apply(p), f.apply(q));
        }
    }
}
