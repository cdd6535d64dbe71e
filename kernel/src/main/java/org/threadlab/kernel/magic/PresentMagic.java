package org.threadlab.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.threadlab.kernel.ThreadLabKernel;

import java.util.List;

/**
 * {@code %present on|off}: presentation mode for live-coding, the same as {@code present(true)}
 * in a cell (the mode lives in the execution JVM, so the magic runs that call there).
 */
final class PresentMagic implements LineMagic<String, ThreadLabKernel> {
    @Override
    public String eval(ThreadLabKernel kernel, List<String> args) {
        String state = args.size() == 1 ? args.get(0).toLowerCase(java.util.Locale.ROOT) : "";
        boolean on = switch (state) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException("say which: %present on, or %present off");
        };
        ThreadLabKernel.CellResult r = kernel.runBody("present(" + on + ");");
        if (!r.ok()) throw new IllegalStateException("present(" + on + ") failed: " + r.errorText());
        return null;
    }
}
