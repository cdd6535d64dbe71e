package org.threadlab.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * An immutable table of strings: the common shape of every result the helper library shows.
 * {@link #toString()} prints it aligned like {@code ps}; in a Jupyter kernel (ThreadLab's, or stock
 * JJava/IJava) it renders as an HTML table with the text as fallback.
 *
 * <pre>{@code
 * Table t = Table.of(List.of("name", "cores"), List.of(List.of("this machine", "2")));
 * System.out.println(t);
 * }</pre>
 *
 * Columns whose every value parses as a number are right-aligned.
 */
public final class Table implements DisplayDataRenderable {
    private static final Set<MIMEType> TYPES = Set.of(MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML);

    private final String title;
    private final List<String> header;
    private final List<List<String>> rows;
    private final String footer;

    private Table(String title, List<String> header, List<List<String>> rows, String footer) {
        this.title = Names.clean(title);
        this.header = List.copyOf(header);
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row " + copy.size() + " has " + row.size()
                        + " cells but the table has " + header.size() + " columns " + header);
            }
            // JShell's wrapper names (REPL.$JShell$12$Account) and JUnit's "==> expected: <..>" mean nothing to a reader
            copy.add(row.stream().map(c -> c == null ? "" : Messages.plain(c)).toList());
        }
        this.rows = Collections.unmodifiableList(copy);
        this.footer = Names.clean(footer);
    }

    /** A table with the given column names and rows (each row as long as the header). */
    public static Table of(List<String> header, List<? extends List<String>> rows) {
        return new Table(null, header, new ArrayList<>(rows), null);
    }

    /**
     * A table of one row per item, one column per named extractor, in the order given.
     * <pre>{@code Table.from(threads, "tid", t -> t.tid(), "name", t -> t.name())}</pre>
     */
    @SafeVarargs
    public static <T> Table from(List<T> items, Column<T>... columns) {
        List<String> header = new ArrayList<>();
        for (Column<T> c : columns) header.add(c.name());
        List<List<String>> rows = new ArrayList<>();
        for (T item : items) {
            List<String> row = new ArrayList<>(columns.length);
            for (Column<T> c : columns) {
                Object v = c.value().apply(item);
                row.add(v == null ? "" : String.valueOf(v));
            }
            rows.add(row);
        }
        return new Table(null, header, rows, null);
    }

    /** A named column for {@link #from(List, Column[])}. */
    public record Column<T>(String name, Function<? super T, ?> value) {
        public Column {
            Objects.requireNonNull(name);
            Objects.requireNonNull(value);
        }
    }

    /** Shorthand for {@code new Column<>(name, value)}. */
    public static <T> Column<T> col(String name, Function<? super T, ?> value) {
        return new Column<>(name, value);
    }

    /** The same table with a title line above it. */
    public Table titled(String title) {
        return new Table(title, header, rows, footer);
    }

    /** The same table with a note line below it (for example what was unavailable and why). */
    public Table withFooter(String footer) {
        return new Table(title, header, rows, footer);
    }

    public String title() { return title; }
    public String footer() { return footer; }
    public List<String> header() { return header; }
    public List<List<String>> rows() { return rows; }
    public int size() { return rows.size(); }

    private boolean numeric(int col) {
        boolean any = false;
        for (List<String> row : rows) {
            String v = row.get(col).trim();
            if (v.isEmpty() || v.equals("-")) continue;
            if (!v.matches("[-+]?[0-9][0-9,_]*(\\.[0-9]+)?(e[-+]?[0-9]+)?\\s*[%x]?")) return false;
            any = true;
        }
        return any;
    }

    @Override
    public String toString() {
        int n = header.size();
        int[] width = new int[n];
        boolean[] right = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) width[c] = Math.max(width[c], row.get(c).length());
            right[c] = numeric(c);
        }
        StringBuilder sb = new StringBuilder();
        if (title != null) sb.append(title).append('\n');
        appendLine(sb, header, width, right);
        for (List<String> row : rows) appendLine(sb, row, width, right);
        if (footer != null) sb.append(footer).append('\n');
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, List<String> cells, int[] width, boolean[] right) {
        int start = sb.length();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) sb.append("  ");
            String v = cells.get(c);
            String pad = " ".repeat(width[c] - v.length());
            if (right[c]) sb.append(pad).append(v);
            else sb.append(v).append(c == cells.size() - 1 ? "" : pad);
        }
        // no trailing blanks: they make diffs of committed notebook outputs noisy
        int end = sb.length();
        while (end > start && sb.charAt(end - 1) == ' ') end--;
        sb.setLength(end);
        sb.append('\n');
    }

    /** Colours of a verdict cell (a feedback table's result column): green pass, red FAIL, amber NOT JUDGED. */
    private static String verdictStyle(String v) {
        if (v.equals("pass")) return ";color:#1b7f3b;font-weight:bold";
        if (v.equals("FAIL")) return ";color:#c62828;font-weight:bold";
        if (v.startsWith("NOT JUDGED")) return ";color:#a15c00;font-weight:bold";
        return "";
    }

    /** Widest a text column is kept from being squeezed to (characters); the last column takes what is left. */
    private static final int MIN_WIDTH_CH = 24;

    /**
     * The table as an HTML fragment (escaped), as the kernel shows it: inside {@link Html#block},
     * so MathJax leaves it alone and presentation mode enlarges it. Each header is aligned like its
     * column; verdicts (pass, FAIL) are coloured; in a narrow table (6 columns or fewer) a text column
     * before the last keeps a minimum width, so that a long last column does not squeeze a test's
     * name to a word per line.
     */
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<table class=\"threadlab\">");
        if (title != null) sb.append("<caption>").append(escape(title)).append("</caption>");
        boolean[] right = new boolean[header.size()];
        for (int c = 0; c < right.length; c++) right[c] = numeric(c);
        sb.append("<thead><tr>");
        for (int c = 0; c < header.size(); c++) {
            sb.append(right[c] ? "<th style=\"text-align:right\">" : "<th style=\"text-align:left\">")
                    .append(escape(header.get(c))).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        int[] minCh = new int[header.size()];
        if (header.size() <= 6) {
            for (int c = 0; c < header.size() - 1; c++) {
                if (right[c]) continue;
                int longest = 0;
                for (List<String> row : rows) longest = Math.max(longest, row.get(c).length());
                minCh[c] = Math.min(longest, MIN_WIDTH_CH);
            }
        }
        boolean first = true;
        for (List<String> row : rows) {
            sb.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                // the first row's minimum widths hold for the whole column
                String min = first && minCh[c] > 8 ? ";min-width:" + minCh[c] + "ch" : "";
                sb.append("<td style=\"text-align:").append(right[c] ? "right" : "left").append(min).append(verdictStyle(row.get(c))).append("\">")
                        .append(escape(row.get(c))).append("</td>");
            }
            first = false;
            sb.append("</tr>");
        }
        sb.append("</tbody></table>");
        if (footer != null) sb.append("<p><small>").append(escape(footer)).append("</small></p>");
        return Html.block(sb.toString());
    }

    static String escape(String s) {
        return Html.escape(s);
    }

    @Override
    public Set<MIMEType> getSupportedRenderTypes() {
        return TYPES;
    }

    @Override
    public Set<MIMEType> getPreferredRenderTypes() {
        return TYPES;
    }

    @Override
    public void render(RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_PLAIN, this::toString);
        context.renderIfRequested(MIMEType.TEXT_HTML, this::toHtml);
    }
}
