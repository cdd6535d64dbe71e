package org.threadlab.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Stroke;

/**
 * The one look of every ThreadLab chart: flat, white, light grid, large type for a projector,
 * and the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies).
 */
final class Style {
    private Style() {}

    static final String FAMILY = Font.SANS_SERIF;
    static final Font TITLE = new Font(FAMILY, Font.BOLD, 22);
    static final Font SUBTITLE = new Font(FAMILY, Font.PLAIN, 16);
    static final Font AXIS_LABEL = new Font(FAMILY, Font.PLAIN, 18);
    static final Font TICKS = new Font(FAMILY, Font.PLAIN, 16);
    static final Font LEGEND = new Font(FAMILY, Font.PLAIN, 16);
    static final Font ITEM_LABEL = new Font(FAMILY, Font.BOLD, 15);

    static final Color TEXT = new Color(0x222222);
    static final Color MUTED = new Color(0x666666);
    static final Color GRID = new Color(0xDDDDDD);
    static final Color BAND = new Color(0xF3F3F3);
    static final Color TRANSPARENT = new Color(255, 255, 255, 0);

    // Okabe-Ito, reordered so the first colours are the strongest on white
    static final Color BLUE = new Color(0x0072B2);
    static final Color ORANGE = new Color(0xE69F00);
    static final Color GREEN = new Color(0x009E73);
    static final Color VERMILLION = new Color(0xD55E00);
    static final Color PURPLE = new Color(0xCC79A7);
    static final Color SKY = new Color(0x56B4E9);
    static final Color YELLOW = new Color(0xF0E442);
    static final Color BLACK = new Color(0x000000);
    static final Color GREY = new Color(0x999999);

    static final Color[] PALETTE = {BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, YELLOW, BLACK};

    static Color palette(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    static final Stroke LINE = new BasicStroke(3.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final Stroke DASHED = new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
            new float[] {10f, 7f}, 0f);
    static final Stroke GRID_STROKE = new BasicStroke(1f);

    /** Applies the look to a chart made by this package. */
    static JFreeChart apply(JFreeChart chart, String subtitle) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(12, 12, 12, 20));
        TextTitle title = chart.getTitle();
        if (title != null) {
            title.setFont(TITLE);
            title.setPaint(TEXT);
            title.setPadding(new RectangleInsets(4, 4, 6, 4));
        }
        if (subtitle != null && !subtitle.isBlank()) {
            TextTitle sub = new TextTitle(subtitle, SUBTITLE);
            sub.setPaint(MUTED);
            sub.setPadding(new RectangleInsets(0, 4, 8, 4));
            chart.addSubtitle(sub);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(LEGEND);
            legend.setItemPaint(TEXT);
            legend.setFrame(BlockBorder.NONE);
            legend.setBackgroundPaint(Color.WHITE);
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 14));
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setInsets(new RectangleInsets(8, 8, 8, 8));
        if (plot instanceof XYPlot xy) {
            grid(xy);
            axis(xy.getDomainAxis());
            axis(xy.getRangeAxis());
        } else if (plot instanceof CategoryPlot cp) {
            cp.setRangeGridlinePaint(GRID);
            cp.setRangeGridlineStroke(GRID_STROKE);
            cp.setDomainGridlinesVisible(false);
            axis(cp.getDomainAxis());
            axis(cp.getRangeAxis());
        }
        return chart;
    }

    static void grid(XYPlot xy) {
        xy.setDomainGridlinePaint(GRID);
        xy.setRangeGridlinePaint(GRID);
        xy.setDomainGridlineStroke(GRID_STROKE);
        xy.setRangeGridlineStroke(GRID_STROKE);
        xy.setAxisOffset(RectangleInsets.ZERO_INSETS);
    }

    static void axis(Axis axis) {
        if (axis == null) return;
        axis.setLabelFont(AXIS_LABEL);
        axis.setLabelPaint(TEXT);
        axis.setTickLabelFont(TICKS);
        axis.setTickLabelPaint(TEXT);
        axis.setAxisLinePaint(GREY);
        axis.setTickMarkPaint(GREY);
        axis.setLabelInsets(new RectangleInsets(6, 6, 6, 6));
        if (axis instanceof CategoryAxis c) {
            c.setCategoryMargin(0.25);
            c.setLowerMargin(0.04);
            c.setUpperMargin(0.04);
            c.setMaximumCategoryLabelLines(2);
        }
        if (axis instanceof ValueAxis v) {
            v.setTickMarksVisible(false);
        }
    }

    static Paint paint(int i) {
        return palette(i);
    }
}
