package org.threadlab.kernel.bench;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.VarSnippet;
import org.threadlab.kernel.KernelConfig;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What javac inside JShell costs per cell, and what one default import adds to it: two JShells in
 * this JVM, one with the kernel's default imports and one without the import named on the command
 * line, evaluate {@code 1+1} in turn, and each evaluation's CPU time on this thread is measured.
 * Alternating in one JVM gives both the same JIT state and the same load, so a difference of 1 %
 * shows on a machine whose wall-clock figures move by 50 %. Local execution: only the compiler's
 * share of a round trip is measured.
 *
 * <pre>
 * java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "kernel/target/threadlab-kernel.jar:kernel/target/lib/*" \
 *     org.threadlab.kernel.bench.JShellCost "import static org.threadlab.grading.Grading.*;" 300
 * </pre>
 */
public final class JShellCost {
    private JShellCost() {}

    public static void main(String[] args) {
        String without = args.length > 0 ? args[0] : "import static org.threadlab.grading.Grading.*;";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        List<String> all = KernelConfig.defaultImports();
        if (!all.contains(without)) throw new IllegalArgumentException("not a default import: " + without + " (they are: " + all + ")");
        JShell a = shell(all);
        JShell b = shell(all.stream().filter(i -> !i.equals(without)).toList());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] ta = new long[rounds], tb = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            // A B, then B A: neither always runs right after the other
            for (int k = 0; k < 2; k++) {
                boolean first = (r + k) % 2 == 0;
                JShell s = first ? a : b;
                long t = mx.getCurrentThreadCpuTime();
                List<SnippetEvent> events = s.eval("1+1");
                long ns = mx.getCurrentThreadCpuTime() - t;
                // as the kernel does: the value a cell showed is dropped before the next cell
                for (SnippetEvent e : events) if (e.snippet() instanceof VarSnippet v && e.status().isActive()) s.drop(v);
                if (first) ta[r] = ns;
                else tb[r] = ns;
            }
        }
        // the first fifth warms the JIT up
        int skip = rounds / 5;
        double ma = median(Arrays.copyOfRange(ta, skip, rounds)) / 1e6, mb = median(Arrays.copyOfRange(tb, skip, rounds)) / 1e6;
        System.out.printf(Locale.ROOT, "JShell eval of 1+1, CPU of this thread, median of rounds %d-%d:%n", skip + 1, rounds);
        System.out.printf(Locale.ROOT, "  with every default import   %6.2f ms%n  without %-20s %6.2f ms%n  ratio                       %6.3f%n",
                ma, shortName(without), mb, ma / mb);
        a.close();
        b.close();
    }

    private static JShell shell(List<String> imports) {
        JShell s = JShell.builder().executionEngine("local").build();
        s.addToClasspath(System.getProperty("java.class.path"));
        for (String i : imports) {
            if (s.eval(i).get(0).status() != Snippet.Status.VALID) throw new IllegalStateException("the import failed: " + i);
        }
        return s;
    }

    private static String shortName(String imp) {
        String s = imp.replace("import ", "").replace("static ", "").replace(";", "");
        return s.length() > 20 ? "…" + s.substring(s.length() - 19) : s;
    }

    private static double median(long[] x) {
        long[] c = x.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
