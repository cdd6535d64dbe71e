package org.threadlab.chart;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYDataset;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;

/**
 * A finished chart: shows as a PNG image in a notebook (and as a one-line description in plain
 * text), saves to a file, or gives its PNG or SVG. In presentation mode
 * ({@link org.threadlab.display.Presentation}) it shows as SVG that scales with the page. Made by {@link Charts}; sized for a projector
 * by default (960 x 540 pixels, large type).
 *
 * <pre>{@code
 * Chart c = Charts.bar("Wall time", Map.of("1 thread", 400, "4 threads", 120), "wall time (ms)");
 * c.save(Path.of("timings.png"));
 * c.size(1280, 720);          // a copy with another size
 * }</pre>
 */
public final class Chart implements DisplayDataRenderable {
    private static final Set<MIMEType> TYPES = Set.of(MIMEType.TEXT_PLAIN, MIMEType.IMAGE_PNG);
    // presentation mode: inline SVG in HTML, so that the page's styles can size it and MathJax skips it
    private static final Set<MIMEType> PRESENT_TYPES = Set.of(MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML);
    private static final java.util.concurrent.atomic.AtomicLong SVG_IDS = new java.util.concurrent.atomic.AtomicLong();
    /** Default size: 16:9, wide enough to read on a projector, narrow enough for a notebook column. */
    public static final int WIDTH = 960, HEIGHT = 540;

    private final JFreeChart chart;
    private final int width;
    private final int height;
    private String description;

    Chart(JFreeChart chart, int width, int height, String description) {
        if (width < 50 || height < 50 || width > 8000 || height > 8000) {
            throw new IllegalArgumentException("chart size must be between 50 and 8000 pixels each way, got "
                    + width + " x " + height + " (the default is " + WIDTH + " x " + HEIGHT + ")");
        }
        this.chart = chart;
        this.width = width;
        this.height = height;
        this.description = description;
    }

    /** A copy of this chart drawn {@code width} x {@code height} pixels. */
    public Chart size(int width, int height) {
        return new Chart(chart, width, height, description);
    }

    /**
     * Puts the x axis on a log scale, one tick per decade, and returns this chart: for sizes that
     * span decades (1, 10, 100, 1,000 threads). Charts with numbers across only ({@code line},
     * {@code speedup}); every x must be above 0. Copies made with {@link #size} change with it.
     *
     * <pre>{@code line("Start cost", "threads", "ms", Map.of("platform", times)).logX()}</pre>
     */
    public Chart logX() {
        return log(true);
    }

    /**
     * Puts the value axis on a log scale, one tick per decade, and returns this chart: for values
     * that span decades (0.05 ms for a thread, 50 ms for a JVM). Every value must be above 0.
     */
    public Chart logY() {
        return log(false);
    }

    private Chart log(boolean across) {
        double min = Double.MAX_VALUE;
        if (chart.getPlot() instanceof XYPlot xy) {
            XYDataset d = xy.getDataset();
            for (int s = 0; s < d.getSeriesCount(); s++) {
                for (int i = 0; i < d.getItemCount(s); i++) {
                    double v = across ? d.getXValue(s, i) : d.getYValue(s, i);
                    if (!(v > 0)) throw notPositive(across, String.valueOf(d.getSeriesKey(s)), v);
                    min = Math.min(min, v);
                }
            }
            ValueAxis old = across ? xy.getDomainAxis() : xy.getRangeAxis();
            LogAxis axis = logAxis(old.getLabel(), min);
            if (across) xy.setDomainAxis(axis);
            else xy.setRangeAxis(axis);
        } else if (chart.getPlot() instanceof CategoryPlot cp && !across) {
            CategoryDataset d = cp.getDataset();
            for (int r = 0; r < d.getRowCount(); r++) {
                for (int c = 0; c < d.getColumnCount(); c++) {
                    Number n = d.getValue(r, c);
                    if (n == null) continue;
                    if (!(n.doubleValue() > 0)) throw notPositive(false, String.valueOf(d.getColumnKey(c)), n.doubleValue());
                    min = Math.min(min, n.doubleValue());
                }
            }
            cp.setRangeAxis(logAxis(cp.getRangeAxis().getLabel(), min));
        } else {
            throw new IllegalArgumentException(across ? "only a chart with numbers across (line, speedup) has an x axis to put on a log scale; "
                    + "for bars use logY()" : "this chart has no value axis to put on a log scale");
        }
        description = description + (across ? ", log x" : ", log y");
        return this;
    }

    private static LogAxis logAxis(String label, double min) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        // plain numbers (1, 10, 100), not 10^2: students read them off the chart
        axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###"));
        axis.setSmallestValue(Math.pow(10, Math.floor(Math.log10(min))));
        axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
        Style.axis(axis);
        return axis;
    }

    private static IllegalArgumentException notPositive(boolean across, String series, double v) {
        return new IllegalArgumentException("a log scale needs values above 0, but " + (across ? "an x" : "a value") + " of '"
                + series + "' is " + v + ": leave zeros out, or keep the linear scale");
    }

    /** Width, in pixels. */
    public int width() { return width; }

    /** Height, in pixels. */
    public int height() { return height; }

    /** The chart drawn into an image of {@link #width()} x {@link #height()} pixels. */
    public BufferedImage image() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The chart as PNG bytes. */
    public byte[] png() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            ImageIO.write(image(), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the chart as PNG", e);
        }
        return out.toByteArray();
    }

    /**
     * The chart as an SVG element drawn on a {@link #width()} x {@link #height()} canvas, without a
     * fixed size (a viewBox), so that it scales to whatever width the page gives it.
     */
    public String svg() {
        org.jfree.svg.SVGGraphics2D g = new org.jfree.svg.SVGGraphics2D(width, height);
        // clip paths and gradients get ids: unique per chart, since several share one page
        String prefix = "tl" + SVG_IDS.incrementAndGet() + "-";
        g.setDefsKeyPrefix(prefix);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        String svg = g.getSVGElement(prefix + "chart", false, new org.jfree.svg.ViewBox(0, 0, width, height), null, null);
        return svg.replaceFirst("^<svg ", "<svg class=\"threadlab-chart\" role=\"img\" ");
    }

    /**
     * Writes the chart as a file (creating missing folders) and returns the path: SVG when the
     * name ends in {@code .svg}, PNG otherwise.
     */
    public Path save(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".svg")) {
                Files.writeString(file, "<?xml version=\"1.0\"?>\n" + svg());
            } else {
                Files.write(file, png());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the chart to " + file + ": " + e.getMessage()
                    + " (is the folder writable?)", e);
        }
        return file;
    }

    /** {@link #save(Path)} with a file name. */
    public Path save(String file) {
        return save(Path.of(file));
    }

    /**
     * The underlying JFreeChart, for what this facade does not offer (annotations, other
     * renderers). Changes show in the next {@link #png()} or display.
     */
    public JFreeChart jfree() { return chart; }

    /** What the chart shows, in one or a few lines of text. */
    @Override
    public String toString() { return description; }

    @Override
    public Set<MIMEType> getSupportedRenderTypes() { return org.threadlab.display.Presentation.on() ? PRESENT_TYPES : TYPES; }

    @Override
    public Set<MIMEType> getPreferredRenderTypes() { return getSupportedRenderTypes(); }

    @Override
    public void render(RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_PLAIN, this::toString);
        if (org.threadlab.display.Presentation.on()) {
            context.renderIfRequested(MIMEType.TEXT_HTML, () -> org.threadlab.display.Html.block(svg()));
        } else {
            context.renderIfRequested(MIMEType.IMAGE_PNG, () -> Base64.getEncoder().encodeToString(png()));
        }
    }
}
