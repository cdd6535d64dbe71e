package org.threadlab.lesson;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Java program, compiled from its source text, to start as a child process: what a lecture
 * needs to show another process (its own memory, its own threads, a pipe to it). The class file
 * goes to a temporary folder that is deleted when this JVM exits. It compiles and runs against
 * this JVM's class path, so it can call the helper library (the same counting loop,
 * {@code org.threadlab.run.Tasks.countTo(n)}, in the parent and in the child).
 *
 * <pre>{@code
 * var sleeper = JavaProgram.compile("""
 *     public class Sleeper {
 *         public static void main(String[] args) throws Exception {
 *             System.out.println("ready");
 *             Thread.sleep(60_000);
 *         }
 *     }
 *     """);
 * Process p = sleeper.startReady();      // started, and it printed "ready"
 * sleeper.run("arg").stdout();           // or: run it to the end and keep what it printed
 * }</pre>
 */
public final class JavaProgram {
    private static final Pattern CLASS = Pattern.compile("public\\s+(?:final\\s+)?class\\s+(\\w+)");

    private final String mainClass;
    private final Path dir;

    private JavaProgram(String mainClass, Path dir) {
        this.mainClass = mainClass;
        this.dir = dir;
    }

    /** Compiles {@code source} (one public class with a main method); a compile error throws with javac's message. */
    public static JavaProgram compile(String source) {
        Matcher m = CLASS.matcher(source);
        if (!m.find()) throw new IllegalArgumentException("the source has no 'public class Name': give the program's class a name");
        String name = m.group(1);
        try {
            Path dir = Files.createTempDirectory("threadlab-program");
            deleteAtExit(dir);
            Path file = dir.resolve(name + ".java");
            Files.writeString(file, source);
            var compiler = javax.tools.ToolProvider.getSystemJavaCompiler();
            if (compiler == null) throw new IllegalStateException("this JVM has no Java compiler: run the kernel on a JDK, not a JRE");
            var errors = new StringWriter();
            int rc = compiler.run(null, null, new java.io.OutputStream() {
                @Override public void write(int b) { errors.write(b); }
            }, "-d", dir.toString(), "-cp", System.getProperty("java.class.path", ""), file.toString());
            if (rc != 0) throw new IllegalArgumentException("the program " + name + " does not compile:\n" + errors);
            return new JavaProgram(name, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The java binary of this JVM: the child runs on the same JDK as the cells. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The program's class name. */
    public String name() {
        return mainClass;
    }

    /** The folder with its class file. */
    public Path dir() {
        return dir;
    }

    /**
     * The command line that runs it with {@code args}, small and quick to start (Serial GC), for
     * a {@link ProcessBuilder} or to put behind {@code taskset -c 0}.
     */
    public List<String> command(String... args) {
        String classPath = dir + java.io.File.pathSeparator + System.getProperty("java.class.path", "");
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-XX:+UseSerialGC", "-Xshare:auto", "-cp", classPath, mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts it with {@code args}; stderr goes to this process's stderr. */
    public Process start(String... args) {
        try {
            return new ProcessBuilder(command(args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts it and waits until it prints a line containing "ready" on stdout (so that start-up is
     * over before a measurement). Throws, with what it printed, if it ends first.
     */
    public Process startReady(String... args) {
        Process p = start(args);
        var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        try {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.contains("ready")) return p;
                seen.append(line).append('\n');
            }
        } catch (IOException e) {
            p.destroyForcibly();
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(mainClass + " ended without printing \"ready\"; it printed:\n" + seen);
    }

    /** What a finished run printed and its exit code. */
    public record Result(int exitCode, String stdout) {
        @Override public String toString() {
            return stdout;
        }
    }

    /** Runs it to the end with {@code args}: its output and exit code. Interrupting the cell kills it. */
    public Result run(String... args) {
        Process p = start(args);
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + mainClass + " ran; it was killed", e);
        } finally {
            if (p.isAlive()) p.destroyForcibly();
        }
    }

    private static void deleteAtExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder left behind is harmless
            }
        }, "threadlab-program-cleanup"));
    }
}
