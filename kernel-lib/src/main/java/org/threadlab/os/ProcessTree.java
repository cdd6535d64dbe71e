package org.threadlab.os;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.threadlab.display.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Processes as a tree of parents and children, printed like {@code ps --forest} with each
 * process's thread count.
 *
 * <pre>{@code
 * ProcessTree t = pstree();          // PID 1 down to this JVM, then everything below it
 * t.find(child.pid()).isPresent();   // is my child process in the tree?
 * }</pre>
 */
public final class ProcessTree implements DisplayDataRenderable {
    /**
     * One process in the tree.
     *
     * @param process  the process
     * @param depth    0 for the root, 1 for its children...
     * @param children its children that are shown (an ancestor line shows only the next one)
     */
    public record Node(ProcessInfo process, int depth, List<Node> children) {}

    private final Node root;
    private final List<String> unavailable;

    ProcessTree(Node root, List<String> unavailable) {
        this.root = root;
        this.unavailable = List.copyOf(unavailable);
    }

    public Node root() { return root; }

    /** Fields or processes that could not be read, each with the reason. */
    public List<String> unavailable() { return unavailable; }

    /** Every node, depth first, in the order printed. */
    public List<Node> nodes() {
        List<Node> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Node n, List<Node> out) {
        if (n == null) return;
        out.add(n);
        for (Node c : n.children()) collect(c, out);
    }

    /** The processes, depth first, as a {@link ProcessList}. */
    public ProcessList processes() {
        return new ProcessList(nodes().stream().map(Node::process).toList(), unavailable);
    }

    /** The node of this process, if it is in the tree. */
    public Optional<Node> find(long pid) {
        return nodes().stream().filter(n -> n.process().pid() == pid).findFirst();
    }

    /** How many processes the tree shows. */
    public int size() {
        return nodes().size();
    }

    public Table table() {
        List<List<String>> rows = new ArrayList<>();
        for (Node n : nodes()) {
            ProcessInfo p = n.process();
            String indent = n.depth() == 0 ? "" : "    ".repeat(n.depth() - 1) + " \\_ ";
            rows.add(List.of(Long.toString(p.pid()), ThreadList.num(p.ppid()), String.valueOf(p.state()),
                    ThreadList.num(p.threads()), p.rssBytes() < 0 ? "" : String.format("%.1f", p.rssBytes() / 1e6),
                    indent + ProcessList.cut(p.command(), 80)));
        }
        Table t = Table.of(List.of("PID", "PPID", "S", "THR", "RSS_MB", "CMD"), rows);
        return unavailable.isEmpty() ? t : t.withFooter("unavailable: " + String.join("; ", unavailable));
    }

    @Override public String toString() { return table().toString(); }
    @Override public Set<MIMEType> getSupportedRenderTypes() { return Set.of(MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML); }
    @Override public Set<MIMEType> getPreferredRenderTypes() { return getSupportedRenderTypes(); }

    @Override
    public void render(RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_PLAIN, this::toString);
        // the indentation carries the tree: keep it in HTML with a preformatted block
        context.renderIfRequested(MIMEType.TEXT_HTML, () -> org.threadlab.display.Html.block("<pre>" + escape(toString()) + "</pre>"));
    }

    private static String escape(String s) {
        return org.threadlab.display.Html.escape(s);
    }
}
