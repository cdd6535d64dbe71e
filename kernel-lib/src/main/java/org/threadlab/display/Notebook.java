package org.threadlab.display;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.UUID;

/**
 * Shows objects in the notebook when the code runs inside a Jupyter kernel of the JJava family
 * (ThreadLab's kernel, JJava, or IJava-compatible ones that expose jjava-jupyter's
 * {@link BaseKernel#notebookKernel()}), and prints them as text anywhere else: in a plain JVM, a
 * test, or a child process.
 *
 * <pre>{@code
 * String id = Notebook.display(Table.of(List.of("n"), List.of(List.of("1"))));
 * Notebook.update(id, "done");
 * }</pre>
 */
public final class Notebook {
    private Notebook() {}

    /** The kernel the current JVM serves cells for, or {@code null} outside a notebook. */
    public static BaseKernel kernel() {
        try {
            return BaseKernel.notebookKernel();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** {@code true} when rich output (HTML, PNG, updates in place) reaches a notebook. */
    public static boolean isRich() {
        return kernel() != null;
    }

    /**
     * Shows {@code value} as a new output and returns its display id, for {@link #update}.
     * Outside a notebook it prints {@code value.toString()} and returns a fresh id all the same.
     */
    public static String display(Object value) {
        String id = UUID.randomUUID().toString();
        BaseKernel kernel = kernel();
        if (kernel == null) {
            System.out.println(value);
            return id;
        }
        DisplayData data = kernel.getRenderer().render(value);
        data.setDisplayId(id);
        kernel.display(data);
        return id;
    }

    /**
     * Replaces the output shown under {@code id} by {@code value} (Jupyter's
     * {@code update_display_data}). Outside a notebook it prints the new value.
     */
    public static void update(String id, Object value) {
        BaseKernel kernel = kernel();
        if (kernel == null) {
            System.out.println(value);
            return;
        }
        DisplayData data = kernel.getRenderer().render(value);
        kernel.getIO().display.updateDisplay(id, data);
    }
}
