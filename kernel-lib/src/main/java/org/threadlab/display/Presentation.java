package org.threadlab.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.Set;

/**
 * Presentation mode, for live-coding in front of a class: larger code, tables and charts, charts
 * as SVG that scale with the page, {@code ps()} with the user's threads first and JVM machinery
 * only on request, wide tables that wrap. Switched from a cell with {@code present(true)} (the
 * facade) or {@link #set(boolean)}; the {@code %present on|off} magic calls the same.
 *
 * <pre>{@code
 * present(true);     // shows "presentation mode on" and enlarges the page while that output is there
 * ps();              // your threads first
 * present(false);    // back to the normal sizes
 * }</pre>
 *
 * The page-wide rules (code size) travel in the output of {@code present(true)} under one display
 * id, which {@code present(false)} replaces: nothing in the notebook or the kernel needs changing.
 */
public final class Presentation implements DisplayDataRenderable {
    private static volatile boolean on = Boolean.getBoolean("threadlab.present")
            || "1".equals(System.getenv("THREADLAB_PRESENT"));
    private static volatile String displayId;

    /**
     * Rules for ThreadLab's own outputs in presentation mode, scoped to {@code .threadlab-present}
     * (the class {@link Html#block} puts on every output made while the mode is on).
     */
    static final String OUTPUT_CSS =
            ".threadlab-present{font-size:20px;line-height:1.35;max-width:100%;overflow-x:auto}"
            + ".threadlab-present table.threadlab{font-size:20px;table-layout:auto;max-width:100%}"
            + ".threadlab-present table.threadlab th,.threadlab-present table.threadlab td"
            + "{white-space:normal;overflow-wrap:anywhere;padding:4px 10px;vertical-align:top}"
            + ".threadlab-present table.threadlab th{text-align:left}"
            + ".threadlab-present caption{font-size:20px;font-weight:bold;text-align:left}"
            + ".threadlab-present pre{font-size:20px}"
            // the chart keeps its proportions, grows with the page's zoom (CSS pixels, not rem: the classic
            // notebook sets the root font to 10px) and never overflows
            + ".threadlab-present svg.threadlab-chart{width:960px;max-width:100%;height:auto;display:block}";

    /** Page-wide rules while the mode is on: larger code and text output, a wider column. */
    static final String PAGE_CSS =
            ".CodeMirror,.CodeMirror pre{font-size:22px;line-height:1.35}"
            + "div.output_area pre,div.output_subarea{font-size:20px;line-height:1.35}"
            + "div.prompt{font-size:16px}"
            + "#notebook-container{width:auto;max-width:98%}"
            + ".jp-Notebook{--jp-code-font-size:22px;--jp-content-font-size1:20px}";

    private final boolean state;

    private Presentation(boolean state) {
        this.state = state;
    }

    /** {@code true} while presentation mode is on. */
    public static boolean on() {
        return on;
    }

    /**
     * Turns presentation mode on or off and returns what to show for it: in a notebook, a line
     * carrying the page-wide rules (shown once, replaced when the mode is switched again).
     */
    public static Presentation set(boolean state) {
        on = state;
        return new Presentation(state);
    }

    /**
     * Switches and shows the notice: the output of {@code present(..)} and of {@code %present}.
     * In a notebook, a second switch replaces the first notice, wherever it was, so the page-wide
     * rules of the old mode leave the page.
     */
    public static void switchTo(boolean state) {
        Presentation p = set(state);
        if (!Notebook.isRich()) {
            System.out.println(p);
            return;
        }
        String old = displayId;
        if (old != null) Notebook.update(old, new Presentation(false));
        displayId = Notebook.display(p);
    }

    @Override
    public String toString() {
        return state ? "presentation mode on: larger code, tables and charts; ps() lists your threads first (present(false) to leave)"
                : "presentation mode off";
    }

    /** The notice as HTML, with the page-wide rules while the mode is on. */
    public String toHtml() {
        String style = state ? "<style>" + PAGE_CSS + OUTPUT_CSS + "</style>" : "";
        return Html.block(style + "<span style=\"color:#555\">" + Html.escape(toString()) + "</span>");
    }

    private static final Set<MIMEType> TYPES = Set.of(MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML);

    @Override public Set<MIMEType> getSupportedRenderTypes() { return TYPES; }
    @Override public Set<MIMEType> getPreferredRenderTypes() { return TYPES; }

    @Override
    public void render(RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_PLAIN, this::toString);
        context.renderIfRequested(MIMEType.TEXT_HTML, this::toHtml);
    }
}
