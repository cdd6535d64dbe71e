package org.threadlab.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadlab.display.Activity;
import org.threadlab.time.Comparison;
import org.threadlab.time.Stats;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import org.jfree.chart.plot.XYPlot;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ChartTest {

    /** Decodes the PNG bytes and checks size and that something besides the white background was drawn. */
    private static BufferedImage decode(byte[] png, int width, int height) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img, "not a PNG");
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
        return img;
    }

    private static double inkFraction(BufferedImage img) {
        long ink = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) ink++;
            }
        }
        return ink / (double) (img.getWidth() * img.getHeight());
    }

    private static long pixelsOf(BufferedImage img, int rgb) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) n++;
            }
        }
        return n;
    }

    @Test
    void barChartRendersPngOfRequestedSizeWithInk() throws Exception {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("1 thread", 812);
        m.put("4 threads", 415);
        Chart c = Charts.bar("Counting", m, "wall time (ms)").size(640, 360);
        BufferedImage img = decode(c.png(), 640, 360);
        double ink = inkFraction(img);
        assertTrue(ink > 0.05 && ink < 0.9, "ink fraction " + ink);
        assertTrue(pixelsOf(img, Style.BLUE.getRGB() & 0xFFFFFF) > 1000, "the bars should be drawn in the palette's blue");
        assertTrue(c.toString().contains("1 thread 812 ms"), c.toString());
    }

    @Test
    void defaultSizeSuitsAProjector() throws Exception {
        Chart c = Charts.bar("t", Map.of("a", 1), "n");
        assertEquals(960, c.width());
        assertEquals(540, c.height());
        decode(c.png(), 960, 540);
    }

    @Test
    void speedupChartDrawsMeasuredIdealAndCores() throws Exception {
        Chart c = Charts.speedup("Speed-up", Map.of(1, 800.0, 2, 410.0, 4, 400.0), 2);
        BufferedImage img = decode(c.png(), Chart.WIDTH, Chart.HEIGHT);
        assertTrue(pixelsOf(img, Style.BLUE.getRGB() & 0xFFFFFF) > 200, "measured line");
        assertTrue(pixelsOf(img, Style.ORANGE.getRGB() & 0xFFFFFF) > 50, "core marker");
        assertTrue(c.toString().contains("2: 2.0×"), c.toString());
    }

    @Test
    void logXPutsDecadesEvenlyAcross() throws Exception {
        Map<Integer, Double> cost = new LinkedHashMap<>();
        cost.put(1, 0.2);
        cost.put(10, 1.9);
        cost.put(100, 21.0);
        cost.put(1000, 230.0);
        Chart log = Charts.line("Start cost", "threads", "ms", Map.of("platform", cost)).logX().logY();
        XYPlot plot = (XYPlot) log.jfree().getPlot();
        assertInstanceOf(org.jfree.chart.axis.LogAxis.class, plot.getDomainAxis());
        assertInstanceOf(org.jfree.chart.axis.LogAxis.class, plot.getRangeAxis());
        // on a log x axis the points 1, 10, 100 sit at equal distances
        var area = new java.awt.geom.Rectangle2D.Double(0, 0, 900, 500);
        double x1 = plot.getDomainAxis().valueToJava2D(1, area, plot.getDomainAxisEdge());
        double x10 = plot.getDomainAxis().valueToJava2D(10, area, plot.getDomainAxisEdge());
        double x100 = plot.getDomainAxis().valueToJava2D(100, area, plot.getDomainAxisEdge());
        assertEquals(x10 - x1, x100 - x10, 1.0);
        assertTrue(inkFraction(decode(log.png(), 960, 540)) > 0.01);
    }

    @Test
    void logScaleOfAZeroSaysWhichSeries() {
        Chart c = Charts.line("Start cost", "threads", "ms", Map.of("virtual", Map.of(0, 0.1, 10, 0.5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::logX);
        assertTrue(e.getMessage().contains("'virtual'") && e.getMessage().contains("above 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Charts.bar("t", Map.of("a", 1), "ms").logX());
        assertNotNull(Charts.bar("t", Map.of("a", 1, "b", 1000), "ms").logY().png());
    }

    @Test
    void throughputOnLogScaleAndLineChartRender() throws Exception {
        Map<String, Number> tp = new LinkedHashMap<>();
        tp.put("pipe", 1.2e9);
        tp.put("file", 2.0e7);
        assertTrue(inkFraction(decode(Charts.throughput("IPC", tp, "B/s", true).png(), 960, 540)) > 0.03);
        Chart line = Charts.line("Latency", "threads", "latency (ms)", Map.of("pipe", Map.of(1, 0.2, 2, 0.3, 4, 0.5)));
        assertTrue(inkFraction(decode(line.png(), 960, 540)) > 0.01);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.throughput("IPC", Map.of("none", 0), "B/s", true));
        assertTrue(e.getMessage().contains("log = false"), e.getMessage());
    }

    @Test
    void comparisonChartLabelsBarsWithSpeedup() {
        Comparison c = new Comparison(List.of(new Stats("1 thread", 1, 400, 410, 420), new Stats("2 threads", 1, 200, 205, 210)));
        Chart chart = c.chart();
        assertTrue(chart.toString().contains("2 threads 205 ms (2.0×)"), chart.toString());
        assertTrue(chart.png().length > 1000);
    }

    @Test
    void timelineHasOneRowPerThreadGroupedByProcess() throws Exception {
        List<Activity> acts = new ArrayList<>();
        for (String proc : List.of("pid 1 java", "pid 2 python3")) {
            for (int t = 0; t < 3; t++) {
                acts.add(new Activity(proc, "worker-" + t, 0, 10_000_000, "R"));
                acts.add(new Activity(proc, "worker-" + t, 10_000_000, 25_000_000, "S"));
                acts.add(new Activity(proc, "worker-" + t, 25_000_000, 30_000_000, "R"));
            }
        }
        Chart c = Charts.timeline("Two processes", acts);
        assertTrue(c.toString().contains("6 threads in 2 processes"), c.toString());
        BufferedImage img = decode(c.png(), c.width(), c.height());
        assertTrue(pixelsOf(img, Style.GREEN.getRGB() & 0xFFFFFF) > 1000, "running stretches are green");
        assertTrue(pixelsOf(img, Style.SKY.getRGB() & 0xFFFFFF) > 1000, "sleeping stretches are sky blue");
    }

    @Test
    void tooManyThreadsKeepEveryProcessInView() {
        List<Activity> acts = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            for (int t = 0; t < 30; t++) acts.add(new Activity("pid " + p, "t" + t, 0, 1_000_000, "R"));
        }
        Chart c = Charts.timeline(acts);
        assertTrue(c.toString().contains("60 threads in 3 processes (30 more not shown)"), c.toString());
        assertTrue(c.height() <= 1080, "taller than a projector: " + c.height());
    }

    @Test
    void backToBackStretchesOfOneStateMerge() {
        List<Activity> merged = Timeline.coalesce(List.of(
                new Activity("p", "t", 0, 5, "R"), new Activity("p", "t", 5, 9, "R"), new Activity("p", "t", 9, 12, "S")));
        assertEquals(List.of(new Activity("p", "t", 0, 9, "R"), new Activity("p", "t", 9, 12, "S")), merged);
    }

    @Test
    void timelineWithNoSamplesSaysWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.timeline(List.of()));
        assertTrue(e.getMessage().contains("no activity") && e.getMessage().contains("watcher"), e.getMessage());
    }

    @Test
    void notebookGetsPngWithTextFallback() throws Exception {
        Chart c = Charts.bar("t", Map.of("a", 3), "n").size(320, 200);
        DisplayData d = new Renderer().render(c);
        Object png = d.getData(MIMEType.IMAGE_PNG);
        assertNotNull(png, "no image/png in the display data");
        decode(Base64.getDecoder().decode(png.toString()), 320, 200);
        assertEquals(c.toString(), String.valueOf(d.getData(MIMEType.TEXT_PLAIN)));
    }

    @Test
    void savedFileIsThePng(@TempDir Path dir) throws Exception {
        Chart c = Charts.bar("t", Map.of("a", 3), "n").size(300, 200);
        Path f = c.save(dir.resolve("sub/chart.png"));
        decode(Files.readAllBytes(f), 300, 200);
    }

    @Test
    void badInputGetsAClearMessage() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Charts.bar("t", Map.of("a", Double.NaN), "n"));
        assertTrue(nan.getMessage().contains("finite"), nan.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> Charts.bar("t", Map.of("a", 1), "n").size(10, 10));
        assertTrue(size.getMessage().contains("960 x 540"), size.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Charts.speedup("t", Map.of(), 2));
        assertTrue(empty.getMessage().contains("Map.of"), empty.getMessage());
    }

    @Test
    void unorderedMapsDrawInNaturalOrder() {
        Chart c = Charts.bar("t", Map.of("10 threads", 1, "2 threads", 2, "1 thread", 3), "n");
        assertTrue(c.toString().endsWith("1 thread 3.00, 2 threads 2.00, 10 threads 1.00"), c.toString());
    }

    @Test
    void naturalOrderPutsTwoBeforeTen() {
        List<String> l = new ArrayList<>(List.of("worker-10", "worker-2", "cpu 1", "worker-1"));
        l.sort(new Timeline.NaturalOrder());
        assertEquals(List.of("cpu 1", "worker-1", "worker-2", "worker-10"), l);
    }
}
