package org.threadlab.grading;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The grader's Java side; {@code tools/grade.py} drives it, one JVM per submission.
 *
 * <pre>{@code
 * java -cp GRADING_JARS org.threadlab.grading.Grader prepare grading/hidden/src /tmp/hidden   # prints the manifest
 * java -cp GRADING_JARS:/tmp/hidden org.threadlab.grading.Grader run < program                # grades one submission
 * }</pre>
 *
 * <p>{@code prepare} compiles the hidden tests and prints every exercise with its visible and
 * hidden tests and their points as JSON. {@code run} reads a per-run secret (the nonce), options
 * and the submission's cells from standard input, evaluates the cells with JShell in this JVM
 * (the check cells only hand the implementation over), then runs the visible and hidden tests
 * one at a time with time limits. Each observation (a test started, its outcome and message) is a
 * line {@code NONCE {json}} on the original standard output, which nothing else writes to. This JVM
 * reports; it does not score: the driver checks every line against what it asked for and takes
 * the points from the manifest of {@code prepare}. The nonce only marks lines as this class's;
 * code of the submission runs in this JVM too and could find it with reflection, which is why the
 * driver rejects anything out of order or unasked and flags such code for review (see the README).
 *
 * <p>Exit codes: 0 done, 3 thread limit, 4 a cell never finished, 5 an earlier test left
 * threads running that cannot be stopped (the driver starts a fresh JVM for the remaining tests).
 */
public final class Grader {
    static final int EXIT_THREADS = 3;
    static final int EXIT_CELL_TIMEOUT = 4;
    static final int EXIT_RESTART = 5;

    private Grader() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("prepare")) {
            prepare(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length == 1 && args[0].equals("run")) {
            run();
        } else {
            System.err.println("usage: Grader prepare HIDDEN_SRC_DIR OUT_DIR   |   Grader run < PROGRAM (see tools/grade.py)");
            System.exit(64);
        }
    }

    // ---- prepare: compile the hidden tests, print the manifest ----

    private static void prepare(Path src, Path out) throws Exception {
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        try {
            List<String> classes = compile(src, out);
            stdout.println(manifest(out, classes));
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /** Compiles every .java under {@code src} into {@code out} against this JVM's class path; returns the class names. */
    public static List<String> compile(Path src, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IllegalStateException("no Java compiler here: run the grader with a JDK, not a JRE");
        if (!Files.isDirectory(src)) throw new IllegalStateException("no hidden tests at " + src + ": that folder should hold them");
        List<Path> sources;
        try (Stream<Path> s = Files.walk(src)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        Files.createDirectories(out);
        List<String> names = new ArrayList<>();
        if (sources.isEmpty()) return names;
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path"),
                    "--release", "21", "-encoding", "UTF-8", "-nowarn", "-proc:none");
            boolean ok = javac.getTask(null, fm, diags, options, null, fm.getJavaFileObjectsFromPaths(sources)).call();
            if (!ok) {
                StringBuilder sb = new StringBuilder("the hidden tests do not compile; fix them (they compile against grading-lib and kernel-lib):\n");
                for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
                    if (d.getKind() != Diagnostic.Kind.ERROR) continue;
                    sb.append(d.getSource() == null ? "" : d.getSource().getName()).append(':').append(d.getLineNumber())
                            .append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
                }
                throw new IllegalStateException(sb.toString());
            }
        }
        try (Stream<Path> s = Files.walk(out)) {
            s.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$"))
                    .forEach(p -> names.add(out.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "")));
        }
        names.sort(null);
        return names;
    }

    /** The hidden test classes in {@code classesDir}, by exercise name. */
    static Map<String, List<Class<?>>> hiddenTests(Path classesDir, List<String> classNames, ClassLoader loader) throws Exception {
        Map<String, List<Class<?>>> hidden = new LinkedHashMap<>();
        for (String n : classNames) {
            Class<?> c = Class.forName(n, false, loader);
            HiddenTests h = c.getAnnotation(HiddenTests.class);
            if (h == null) continue;
            Exercises.named(h.value());
            hidden.computeIfAbsent(h.value(), k -> new ArrayList<>()).add(c);
        }
        return hidden;
    }

    /** Every exercise with its visible and hidden tests and their points, as JSON. */
    static String manifest(Path classesDir, List<String> classNames) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[]{classesDir.toUri().toURL()}, Grader.class.getClassLoader());
        Map<String, List<Class<?>>> hidden = hiddenTests(classesDir, classNames, loader);
        StringBuilder sb = new StringBuilder("{\"exercises\":[");
        boolean firstEx = true;
        for (Exercise<?> e : Exercises.all()) {
            if (!firstEx) sb.append(',');
            firstEx = false;
            List<Class<?>> h = hidden.getOrDefault(e.name(), List.of());
            sb.append("{\"name\":").append(Json.str(e.name())).append(",\"lecture\":").append(e.lecture())
                    .append(",\"notebook\":").append(Json.str(e.notebook())).append(",\"needs\":").append(Json.str(e.needs()))
                    .append(",\"hidden_classes\":[");
            sb.append(String.join(",", h.stream().map(c -> Json.str(c.getName())).toList())).append("],\"tests\":[");
            List<String> tests = new ArrayList<>();
            for (TestRunner.Planned p : TestRunner.plan(e.visibleTests())) tests.add(planned(e.name(), p, "visible"));
            if (!h.isEmpty()) for (TestRunner.Planned p : TestRunner.plan(h)) tests.add(planned(e.name(), p, "hidden"));
            sb.append(String.join(",", tests)).append("]}");
        }
        return sb.append("]}").toString();
    }

    private static String planned(String exercise, TestRunner.Planned p, String visibility) {
        return "{\"name\":" + Json.str(p.name()) + ",\"key\":" + Json.str(key(exercise, visibility, p.name())) + ",\"points\":" + p.points()
                + ",\"visibility\":" + Json.str(visibility) + ",\"timeout_ms\":" + p.timeoutMs() + "}";
    }

    static String key(String exercise, String visibility, String test) {
        return exercise + "/" + visibility + "/" + test;
    }

    // ---- run: one submission ----

    /** A notebook cell to evaluate: {@code kind} is solution (the student's), locked or grade (the instructor's). */
    record Cell(String kind, String id, String source) {}

    /** What the driver sends on standard input. */
    record Program(String nonce, String hiddenDir, long cellTimeoutMs, long testCapMs, int maxThreads, Set<String> skip, List<String> exercises,
                   List<Cell> cells) {
        static Program parse(String in) {
            int at = 0;
            String nonce = null;
            String hiddenDir = null;
            long cellTimeout = 10_000;
            long cap = 0;
            int maxThreads = 1000;
            Set<String> skip = new HashSet<>();
            List<String> exercises = new ArrayList<>();
            List<Cell> cells = new ArrayList<>();
            while (at < in.length()) {
                int nl = in.indexOf('\n', at);
                if (nl < 0) nl = in.length();
                String line = in.substring(at, nl);
                at = nl + 1;
                if (line.isEmpty()) continue;
                String[] w = line.split(" ", 2);
                String rest = w.length > 1 ? w[1] : "";
                switch (w[0]) {
                    case "nonce" -> nonce = rest;
                    case "hidden" -> hiddenDir = rest;
                    case "cell-timeout-ms" -> cellTimeout = Long.parseLong(rest);
                    case "test-cap-ms" -> cap = Long.parseLong(rest);
                    case "max-threads" -> maxThreads = Integer.parseInt(rest);
                    case "skip" -> skip.add(rest);
                    case "exercise" -> exercises.add(rest);
                    case "cell" -> {
                        // cell KIND LENGTH ID, then LENGTH chars of source
                        String[] c = rest.split(" ", 3);
                        int len = Integer.parseInt(c[1]);
                        cells.add(new Cell(c[0], c.length > 2 ? c[2] : "", in.substring(at, at + len)));
                        at += len + 1;
                    }
                    default -> throw new IllegalArgumentException("unknown line in the grading program: " + line);
                }
            }
            if (nonce == null) throw new IllegalArgumentException("the grading program has no nonce line");
            return new Program(nonce, hiddenDir, cellTimeout, cap, maxThreads, skip, exercises, cells);
        }
    }

    static final List<String> IMPORTS = List.of(
            "import java.util.*;", "import java.util.concurrent.*;", "import java.util.concurrent.atomic.*;",
            "import java.util.concurrent.locks.*;", "import java.util.function.*;", "import java.util.stream.*;",
            "import java.io.*;", "import java.nio.file.*;", "import java.time.*;", "import java.math.*;", "import java.net.*;",
            "import org.threadlab.display.*;", "import static org.threadlab.ThreadLab.*;",
            "import static org.threadlab.grading.Grading.*;");

    private static void run() throws Exception {
        // Everything from the driver is read before any code of the submission exists in this JVM.
        String input = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        Program program = Program.parse(input);
        String nonce = program.nonce();
        PrintStream results = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        // the submission's own printing goes to the log, never between result lines
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        startWatchdog(program.maxThreads());

        Map<String, List<Class<?>>> hidden = Map.of();
        if (program.hiddenDir() != null) {
            Path dir = Path.of(program.hiddenDir());
            List<String> names;
            try (Stream<Path> s = Files.walk(dir)) {
                names = s.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$"))
                        .map(f -> dir.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "")).toList();
            }
            hidden = hiddenTests(dir, names, Grader.class.getClassLoader());
        }
        // System.exit from the submission: say so (Runtime.halt, which skips this, ends up as "stopped")
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            results.println(nonce + " {\"event\":\"exit\"}");
            results.flush();
        }));

        // No warm-up of the schedule engine here: its JVM starts at the first test that needs it,
        // and a stub or a plainly wrong answer fails the one-after-another run before that (see
        // Explore.noFailure), so it never pays for the engine. A batch keeps the cores busy anyway.

        Check.bindOnly = true;
        Map<String, String> cellProblems = new LinkedHashMap<>();
        try (JShell shell = JShell.builder().executionEngine("local")
                .out(System.out).err(System.out)
                .compilerOptions("--class-path", System.getProperty("java.class.path"), "-proc:none")
                .build()) {
            for (String imp : IMPORTS) shell.eval(imp);
            for (Cell cell : program.cells()) {
                String problem = evaluate(shell, cell, program.cellTimeoutMs());
                if (problem == TIMED_OUT) {
                    results.println(nonce + " {\"event\":\"cell-timeout\",\"cell\":" + Json.str(cell.id()) + ",\"seconds\":"
                            + program.cellTimeoutMs() / 1000.0 + "}");
                    Runtime.getRuntime().halt(EXIT_CELL_TIMEOUT);
                }
                if (problem != null) {
                    cellProblems.put(cell.id(), problem);
                    results.println(nonce + " {\"event\":\"cell-error\",\"cell\":" + Json.str(cell.id()) + ",\"message\":" + Json.str(problem) + "}");
                }
            }
        }
        Check.bindOnly = false;

        for (String name : program.exercises()) {
            Exercise<?> exercise = Exercises.named(name);
            if (!Check.BOUND.contains(name)) {
                String why = cellProblems.isEmpty() ? "the check cell of " + name + " did not run"
                        : "a cell failed: " + cellProblems.entrySet().iterator().next().getValue();
                results.println(nonce + " {\"event\":\"unbound\",\"exercise\":" + Json.str(name) + ",\"message\":" + Json.str(why) + "}");
                continue;
            }
            List<Class<?>> hiddenOfThis = hidden.getOrDefault(name, List.of());
            for (String visibility : List.of("visible", "hidden")) {
                List<Class<?>> classes = visibility.equals("visible") ? exercise.visibleTests() : hiddenOfThis;
                if (classes.isEmpty()) continue;
                for (TestRunner.Planned p : TestRunner.plan(classes)) {
                    String key = key(name, visibility, p.name());
                    if (program.skip().contains(key)) continue;
                    results.println(nonce + " {\"event\":\"start\",\"key\":" + Json.str(key) + "}");
                    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
                    long limit = program.testCapMs() > 0 ? Math.min(program.testCapMs(), p.timeoutMs()) : p.timeoutMs();
                    TestRunner.Result r = TestRunner.runOne(p, visibility, limit);
                    results.println(nonce + " " + resultLine(key, r));
                    if (leftRunning(before)) {
                        results.println(nonce + " {\"event\":\"restart\",\"after\":" + Json.str(key) + "}");
                        Runtime.getRuntime().halt(EXIT_RESTART);
                    }
                }
            }
        }
        results.println(nonce + " {\"event\":\"done\"}");
        results.flush();
        Runtime.getRuntime().halt(0);
    }

    /**
     * What this JVM saw of one test: its outcome and message, never a score. The driver decides the
     * points from the manifest, which a JVM without student code wrote.
     */
    static String resultLine(String key, TestRunner.Result r) {
        return "{\"event\":\"result\",\"key\":" + Json.str(key) + ",\"outcome\":" + Json.str(r.outcome().name().toLowerCase(Locale.ROOT))
                + ",\"message\":" + Json.str(r.message()) + ",\"millis\":" + r.millis() + "}";
    }

    private static final String TIMED_OUT = "timed out";

    /**
     * Evaluates one cell snippet by snippet; returns null when it ran, a message saying what went
     * wrong, or {@link #TIMED_OUT}. Magics ({@code %...}) are the kernel's and are left out here.
     */
    static String evaluate(JShell shell, Cell cell, long timeoutMs) throws InterruptedException {
        StringBuilder code = new StringBuilder();
        for (String line : cell.source().split("\n", -1)) {
            if (!line.stripLeading().startsWith("%")) code.append(line).append('\n');
        }
        String[] problem = new String[1];
        Thread t = new Thread(() -> {
            try {
                SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
                String remaining = code.toString();
                while (!remaining.isBlank()) {
                    SourceCodeAnalysis.CompletionInfo info = sca.analyzeCompletion(remaining);
                    String source = info.source();
                    if (source == null || source.isBlank()
                            || info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
                        if (problem[0] == null) problem[0] = "cell " + cell.id() + " ends in the middle of a statement";
                        return;
                    }
                    remaining = info.remaining();
                    for (SnippetEvent e : shell.eval(source)) {
                        String p = problemOf(shell, e);
                        if (p != null && problem[0] == null) problem[0] = "cell " + cell.id() + ": " + p;
                    }
                }
            } catch (Throwable e) {
                if (problem[0] == null) problem[0] = "cell " + cell.id() + " stopped: " + e;
            }
        }, "grading-cell-" + cell.id());
        t.setDaemon(true);
        t.start();
        t.join(timeoutMs);
        return t.isAlive() ? TIMED_OUT : problem[0];
    }

    private static String problemOf(JShell shell, SnippetEvent e) {
        if (e.exception() != null) {
            Throwable x = e.exception();
            String msg = x instanceof jdk.jshell.EvalException ee ? ee.getExceptionClassName() + ": " + ee.getMessage() : x.toString();
            return "threw " + TestRunner.cleanNames(msg);
        }
        if (e.status() == Snippet.Status.REJECTED) {
            List<String> d = shell.diagnostics(e.snippet())
                    .map(x -> x.getMessage(Locale.ROOT)).limit(2).toList();
            String src = e.snippet().source().strip().lines().findFirst().orElse("");
            return "does not compile (" + String.join("; ", d) + ") at: " + (src.length() > 80 ? src.substring(0, 80) + "..." : src);
        }
        return null;
    }

    /** True if threads a test started are still running 0.5 s after it ended (busy loops no interrupt stops). */
    static boolean jdkHelper(Thread t) {
        String n = t.getName();
        return n.startsWith("VirtualThread-") || n.startsWith("ForkJoinPool-") || n.startsWith("ForkJoinPool.commonPool-")
                || n.startsWith("Read-Poller") || n.startsWith("Write-Poller") || n.equals("process reaper")
                || n.startsWith("process reaper");
    }

    static boolean leftRunning(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + 500_000_000L;
        while (true) {
            boolean running = false;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                // the JDK's own helpers (virtual threads' unblocker and carriers, the common pool) are not the student's
                if (!before.contains(t) && t.isAlive() && t.getState() == Thread.State.RUNNABLE && !jdkHelper(t)
                        && !org.threadlab.interleave.Interleaving.isEngineThread(t)) {
                    running = true;
                    break;
                }
            }
            if (!running) return false;
            if (System.nanoTime() > deadline) return true;
            Thread.sleep(50);
        }
    }

    /** Ends this JVM when the submission starts more platform threads than allowed. */
    private static void startWatchdog(int maxThreads) {
        var mx = ManagementFactory.getThreadMXBean();
        int base = mx.getThreadCount();
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        Thread w = new Thread(() -> {
            while (true) {
                if (mx.getThreadCount() - base > maxThreads) {
                    try {
                        err.write(("grader: more than " + maxThreads + " threads started; stopping\n").getBytes(StandardCharsets.UTF_8));
                    } catch (IOException ignored) {
                        // the exit code says it too
                    }
                    Runtime.getRuntime().halt(EXIT_THREADS);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "grading-watchdog");
        w.setDaemon(true);
        w.setPriority(Thread.MAX_PRIORITY);
        w.start();
    }
}
