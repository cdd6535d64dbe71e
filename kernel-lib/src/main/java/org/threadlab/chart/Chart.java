package org.threadlab.chart;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jfree.chart.JFreeChart;

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
 * text), saves to a file, or gives its PNG bytes. Made by {@link Charts}; sized for a projector
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
    /** Default size: 16:9, wide enough to read on a projector, narrow enough for a notebook column. */
    public static final int WIDTH = 960, HEIGHT = 540;

    private final JFreeChart chart;
    private final int width;
    private final int height;
    private final String description;

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

    /** Writes the chart as a PNG file (creating missing folders) and returns the path. */
    public Path save(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.write(file, png());
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
    public Set<MIMEType> getSupportedRenderTypes() { return TYPES; }

    @Override
    public Set<MIMEType> getPreferredRenderTypes() { return TYPES; }

    @Override
    public void render(RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_PLAIN, this::toString);
        context.renderIfRequested(MIMEType.IMAGE_PNG, () -> Base64.getEncoder().encodeToString(png()));
    }
}
