package org.threadlab.grading;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The instructor's side of grading (tools/grade.py drives it).
 *
 * <p>{@code java -cp KERNEL_LIB_JARS org.threadlab.grading.Grader prepare HIDDEN_SRC OUT_DIR}
 * compiles the hidden tests and prints a manifest (every exercise, its tests and points) as JSON.
 *
 * <p>In a submission's kernel, after the student's cells ran and their threads were stopped, the
 * grading cell calls {@link #grade}. Results go to a file whose path, like the nonce, appears only
 * in that cell, never to the cell's output that student code can also print to.
 */
public final class Grader {
    private Grader() {}

    /**
     * Runs the visible, then the hidden tests of {@code exercise} against {@code subject} and
     * appends one JSON line per test to {@code resultFile}, each tagged with {@code nonce}, then a
     * line with {@code "done": true}. Returns a one-line summary.
     */
    @SafeVarargs
    public static <S> String grade(String nonce, String resultFile, Exercise<S> exercise, S subject, Class<?>... hidden) throws IOException {
        return grade(nonce, resultFile, 0, exercise, subject, hidden);
    }

    /** {@link #grade(String, String, Exercise, Object, Class[])} with every test's time limit cut to {@code capMs} (if positive). */
    @SafeVarargs
    public static <S> String grade(String nonce, String resultFile, long capMs, Exercise<S> exercise, S subject, Class<?>... hidden) throws IOException {
        Path out = Path.of(resultFile);
        int[] total = new int[2];
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            java.util.function.Consumer<TestRunner.Result> each = r -> {
                total[0] += r.score();
                total[1] += r.max();
                try {
                    w.write(line(nonce, exercise.name(), r));
                    w.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            if (subject == null) {
                w.write("{\"nonce\":" + Json.str(nonce) + ",\"exercise\":" + Json.str(exercise.name())
                        + ",\"error\":\"the notebook gave no implementation\"}\n");
            } else {
                exercise.use(subject);
                TestRunner.run(exercise.visibleTests(), "visible", capMs, each);
                if (!Thread.currentThread().isInterrupted()) TestRunner.run(List.of(hidden), "hidden", capMs, each);
            }
            w.write("{\"nonce\":" + Json.str(nonce) + ",\"exercise\":" + Json.str(exercise.name()) + ",\"done\":true}\n");
        }
        return exercise.name() + ": graded, " + total[1] + " points possible";
    }

    static String line(String nonce, String exercise, TestRunner.Result r) {
        return "{\"nonce\":" + Json.str(nonce) + ",\"exercise\":" + Json.str(exercise) + ",\"test\":" + Json.str(r.test())
                + ",\"visibility\":" + Json.str(r.visibility()) + ",\"score\":" + r.score() + ",\"max\":" + r.max()
                + ",\"passed\":" + r.passed() + ",\"message\":" + Json.str(r.message()) + ",\"millis\":" + r.millis() + "}\n";
    }

    // ---- prepare: compile the hidden tests, print the manifest ----

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !args[0].equals("prepare")) {
            System.err.println("usage: java -cp KERNEL_LIB_JARS org.threadlab.grading.Grader prepare HIDDEN_SRC_DIR OUT_DIR");
            System.exit(64);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            List<String> classes = compile(Path.of(args[1]), Path.of(args[2]));
            out.println(manifest(Path.of(args[2]), classes));
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /** Compiles every .java under {@code src} into {@code out} against this JVM's class path; returns the class names. */
    public static List<String> compile(Path src, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IllegalStateException("no Java compiler here: run the grader with a JDK, not a JRE");
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
                StringBuilder sb = new StringBuilder("the hidden tests do not compile; fix them (they compile against kernel-lib):\n");
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

    /** Every exercise with its visible and hidden tests and their points, as JSON. */
    static String manifest(Path classesDir, List<String> classNames) throws Exception {
        Map<String, List<Class<?>>> hidden = new LinkedHashMap<>();
        URLClassLoader loader = new URLClassLoader(new URL[]{classesDir.toUri().toURL()}, Grader.class.getClassLoader());
        for (String n : classNames) {
            Class<?> c = Class.forName(n, false, loader);
            HiddenTests h = c.getAnnotation(HiddenTests.class);
            if (h == null) continue;
            Exercises.named(h.value());
            hidden.computeIfAbsent(h.value(), k -> new ArrayList<>()).add(c);
        }
        StringBuilder sb = new StringBuilder("{\"exercises\":[");
        boolean firstEx = true;
        for (Exercise<?> e : Exercises.all()) {
            if (!firstEx) sb.append(',');
            firstEx = false;
            List<Class<?>> h = hidden.getOrDefault(e.name(), List.of());
            sb.append("{\"name\":").append(Json.str(e.name())).append(",\"hidden_classes\":[");
            sb.append(String.join(",", h.stream().map(c -> Json.str(c.getName())).toList())).append("],\"tests\":[");
            List<String> tests = new ArrayList<>();
            for (TestRunner.Planned p : TestRunner.plan(e.visibleTests())) tests.add(planned(p, "visible"));
            if (!h.isEmpty()) for (TestRunner.Planned p : TestRunner.plan(h)) tests.add(planned(p, "hidden"));
            sb.append(String.join(",", tests)).append("]}");
        }
        return sb.append("]}").toString();
    }

    private static String planned(TestRunner.Planned p, String visibility) {
        return "{\"name\":" + Json.str(p.name()) + ",\"points\":" + p.points() + ",\"visibility\":" + Json.str(visibility)
                + ",\"timeout_ms\":" + p.timeoutMs() + "}";
    }
}
