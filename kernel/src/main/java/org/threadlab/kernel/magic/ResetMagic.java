package org.threadlab.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.threadlab.kernel.ThreadLabKernel;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code %reset} (or {@code %reset -f}): forgets every variable, method, class and import the cells
 * defined and stops the threads they left running, without restarting the kernel. The default
 * imports, the helper library and {@code %classpath} additions stay. A notebook has no prompt to
 * confirm in, so {@code -f} changes nothing; it is accepted because IPython users type it.
 */
final class ResetMagic implements LineMagic<String, ThreadLabKernel> {
    @Override
    public String eval(ThreadLabKernel kernel, List<String> args) {
        for (String a : args) {
            if (!a.equals("-f")) throw new IllegalArgumentException("'" + a + "' is not an option of %reset; use %reset or %reset -f");
        }
        ThreadLabKernel.ResetSummary r = kernel.reset();
        List<String> parts = new ArrayList<>();
        add(parts, r.variables(), "variable");
        add(parts, r.methods(), "method");
        add(parts, r.types(), "class", "classes");
        add(parts, r.imports(), "import");
        add(parts, r.threadsStopped(), "running thread");
        String what = parts.isEmpty() ? "nothing to clear" : "cleared " + join(parts);
        return "Reset: " + what + ". Kept: the default imports, the helper library and the class path; "
                + (r.restartNote() == null ? "the execution JVM was not restarted."
                : "the execution JVM was restarted to end threads that would not stop.");
    }

    private static void add(List<String> parts, int n, String one) {
        add(parts, n, one, one + "s");
    }

    private static void add(List<String> parts, int n, String one, String many) {
        if (n > 0) parts.add(n + " " + (n == 1 ? one : many) + (one.equals("running thread") ? " (stopped)" : ""));
    }

    private static String join(List<String> parts) {
        if (parts.size() == 1) return parts.get(0);
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }
}
