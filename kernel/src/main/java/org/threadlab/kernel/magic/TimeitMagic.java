package org.threadlab.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.threadlab.kernel.ThreadLabKernel;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code %%timeit [-n LOOPS] [-r RUNS]}: times the cell's body in a loop, as IPython's magic does.
 * The body is compiled once into a method of the execution JVM, so each loop costs a call, not a
 * compilation. Without {@code -n} the loop count grows (1, 2, 5, 10, 20, ...) until one run takes
 * at least 0.2 s; those calibration runs are the warm-up (with {@code -n}, one run is). Then
 * {@code RUNS} runs (default 7) are timed and the time per loop is printed: median, min, max and
 * spread (max - min), in ns, µs, ms or s. Definitions in the body do not outlive the cell.
 */
final class TimeitMagic implements CellMagic<ThreadLabKernel.CellResult, ThreadLabKernel> {
    static final long TARGET_RUN_NS = 200_000_000L;
    static final int DEFAULT_RUNS = 7;

    @Override
    public ThreadLabKernel.CellResult eval(ThreadLabKernel kernel, List<String> args, String body) {
        int[] nr = options(args);
        if (body.isBlank()) throw new IllegalArgumentException("the cell has nothing to time: put code under the %%timeit line");
        // trailing blanks and one ';' go ("calls++;" is an expression too, and returning it keeps its
        // value alive); leading lines stay, so that line 1 of the body is line 1 of the method
        String code = body.stripTrailing();
        if (code.endsWith(";")) code = code.substring(0, code.length() - 1);
        String type = code.strip().contains("\n") || code.contains(";") ? null : kernel.expressionType(code);
        String method = "Object $threadlab$timeitBody() throws Throwable { "
                + (type == null || type.equals("void") ? code + ";\nreturn null; }" : "return (" + code + "\n); }");
        try {
            ThreadLabKernel.CellResult compiled = kernel.runBody(method + "\n" + DRIVER);
            if (!compiled.ok()) return compiled;
            ThreadLabKernel.CellResult r = kernel.runBody("$threadlab$timeit(" + nr[0] + ", " + nr[1] + ")");
            if (!r.ok()) return r;
            kernel.print(report(r.text()));
            return new ThreadLabKernel.CellResult(null, null, null, null);
        } finally {
            kernel.dropKernelSnippets();
        }
    }

    private static final String DRIVER = """
            String $threadlab$timeit(int loops, int runs) throws Throwable {
                Object sink = null;
                long warm = 0;
                if (loops <= 0) {
                    for (int k = 0; ; k++) {
                        loops = new int[] {1, 2, 5}[k % 3] * (int) Math.pow(10, k / 3);
                        long t0 = System.nanoTime();
                        for (int i = 0; i < loops; i++) sink = $threadlab$timeitBody();
                        warm += loops;
                        if (System.nanoTime() - t0 >= TARGET_NS || loops >= 500_000_000) break;
                    }
                } else {
                    for (int i = 0; i < loops; i++) sink = $threadlab$timeitBody();
                    warm = loops;
                }
                StringBuilder sb = new StringBuilder().append(loops).append(';').append(warm).append(';');
                for (int r = 0; r < runs; r++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < loops; i++) sink = $threadlab$timeitBody();
                    sb.append(System.nanoTime() - t0).append(r + 1 < runs ? "," : "");
                }
                return sb.append(';').append(sink == null ? 0 : 1).toString();
            }""".replace("TARGET_NS", TARGET_RUN_NS + "L");

    /** {@code [loops, runs]} from the options; loops 0 means "choose". */
    static int[] options(List<String> args) {
        int loops = 0, runs = DEFAULT_RUNS;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String flag = a.length() >= 2 ? a.substring(0, 2) : a;
            if (!flag.equals("-n") && !flag.equals("-r")) {
                throw new IllegalArgumentException("'" + a + "' is not an option of %%timeit; use -n LOOPS and -r RUNS, e.g. %%timeit -n 1000 -r 5");
            }
            String value = a.length() > 2 ? a.substring(2) : (i + 1 < args.size() ? args.get(++i) : "");
            int v;
            try {
                v = Integer.parseInt(value.replace("_", "").replace(",", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " needs a whole number, e.g. %%timeit " + flag + " 10 (got '" + value + "')");
            }
            if (v < 1) throw new IllegalArgumentException(flag + " must be at least 1 (got " + v + ")");
            if (flag.equals("-n")) loops = v;
            else runs = v;
        }
        return new int[] {loops, runs};
    }

    /** The lines printed under the cell, from the driver's "loops;warm-up;t1,t2,...;x". */
    static String report(String driverText) {
        String t = driverText.strip();
        if (t.startsWith("\"")) t = t.substring(1, t.length() - 1);
        String[] f = t.split(";");
        long loops = Long.parseLong(f[0]);
        long warm = Long.parseLong(f[1]);
        double[] perLoop = Arrays.stream(f[2].split(",")).mapToDouble(s -> Long.parseLong(s) / (double) loops).sorted().toArray();
        int n = perLoop.length;
        double median = n % 2 == 1 ? perLoop[n / 2] : (perLoop[n / 2 - 1] + perLoop[n / 2]) / 2;
        double min = perLoop[0], max = perLoop[n - 1];
        return String.format(Locale.ROOT, "%s per loop (median of %d run%s; min %s, max %s, spread %s = %.1f%%)%n"
                        + "%,d loop%s per run, after %,d warm-up loop%s",
                human(median), n, n == 1 ? "" : "s", human(min), human(max), human(max - min),
                median > 0 ? 100 * (max - min) / median : 0, loops, loops == 1 ? "" : "s", warm, warm == 1 ? "" : "s");
    }

    /** A duration in nanoseconds, in the unit that gives 1 to 999, with 3 significant digits. */
    static String human(double ns) {
        String unit = "ns";
        double v = ns;
        if (ns >= 1e9) { v = ns / 1e9; unit = "s"; }
        else if (ns >= 1e6) { v = ns / 1e6; unit = "ms"; }
        else if (ns >= 1e3) { v = ns / 1e3; unit = "µs"; }
        String digits = v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, digits + " %s", v, unit);
    }
}
