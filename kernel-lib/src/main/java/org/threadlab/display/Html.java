package org.threadlab.display;

/**
 * The wrapper every HTML output of ThreadLab goes through. It keeps the notebook's MathJax away
 * (a "$" in a thread or class name would otherwise start italic maths), cleans JShell's class
 * names, and in presentation mode adds the class and the scoped rules that enlarge the output.
 *
 * <pre>{@code
 * String html = Html.block("<pre>" + Html.escape(text) + "</pre>");
 * }</pre>
 */
public final class Html {
    private Html() {}

    /**
     * The classes on every ThreadLab output: its own, and the ones MathJax skips in the classic
     * notebook ({@code tex2jax_ignore}) and in JupyterLab / Notebook 7 ({@code mathjax_ignore}).
     */
    public static final String CLASSES = "threadlab-out tex2jax_ignore mathjax_ignore";

    /**
     * {@code inner} (HTML already escaped) inside a {@code div} that MathJax ignores; in
     * presentation mode it also carries the larger sizes, so that the output reads right even where
     * the notice of {@code present(true)} has scrolled away or was cleared.
     */
    public static String block(String inner) {
        boolean present = Presentation.on();
        StringBuilder sb = new StringBuilder(inner.length() + 800);
        sb.append("<div class=\"").append(CLASSES).append(present ? " threadlab-present" : "").append("\">");
        if (present) sb.append("<style>").append(Presentation.OUTPUT_CSS).append("</style>");
        sb.append(inner).append("</div>");
        return sb.toString();
    }

    /** Text for HTML: markup characters escaped, JShell's wrapper names cleaned. */
    public static String escape(String s) {
        s = Names.clean(s);
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
