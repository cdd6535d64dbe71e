package org.threadlab.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.Set;

/**
 * A result that shows itself as a {@link Table}: an HTML table in a notebook (through
 * jjava-jupyter's {@link DisplayDataRenderable}, in ThreadLab's kernel and in stock JJava alike),
 * and aligned text elsewhere. Implementations give {@link #table()} and, since an interface cannot,
 * a {@code toString()} that returns {@code table().toString()}.
 *
 * <pre>{@code
 * record Speed(String name, double ms) implements Tabular {
 *     public Table table() { return Table.of(List.of("name", "ms"), List.of(List.of(name, String.valueOf(ms)))); }
 *     public String toString() { return table().toString(); }
 * }
 * }</pre>
 */
public interface Tabular extends DisplayDataRenderable {
    /** The result as a table. */
    Table table();

    @Override
    default Set<MIMEType> getSupportedRenderTypes() {
        return table().getSupportedRenderTypes();
    }

    @Override
    default Set<MIMEType> getPreferredRenderTypes() {
        return table().getPreferredRenderTypes();
    }

    @Override
    default void render(RenderContext context) {
        table().render(context);
    }
}
