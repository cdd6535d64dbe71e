package org.threadlab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The helper library is what its jar and its own runtime dependencies give, without JUnit and
 * without the grading module: ps(), threads and a chart work in a JVM with that class path only.
 * The class path is this module's compiled classes (the jar's content; the jar itself is packaged
 * after the tests) and the runtime class path Maven resolves for it (target/runtime-classpath.txt,
 * written by the dependency plugin from the pom): no test jar, no test class of this module.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HelperLibraryWithoutJUnitTest {
    private static final Pattern TEST_JARS = Pattern.compile("junit|opentest4j|apiguardian|surefire|threadlab-grading");

    @Test
    void noJUnitAmongTheLibrarysRuntimeDependencies() throws Exception {
        for (String jar : runtimeClasspath()) {
            assertFalse(TEST_JARS.matcher(Path.of(jar).getFileName().toString()).find(),
                    () -> jar + " is a runtime dependency of the helper library: grading and JUnit belong in grading-lib");
        }
    }

    @Test
    void psThreadsAndChartWorkWithOnlyTheLibraryOnTheClassPath() throws Exception {
        List<String> cp = new ArrayList<>();
        cp.add(Path.of("target", "classes").toAbsolutePath().toString());
        cp.addAll(runtimeClasspath());
        Path probe = Path.of("src", "test", "probe", "HelperLibraryProbe.java").toAbsolutePath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.awt.headless=true",
                "-cp", String.join(File.pathSeparator, cp), probe.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("junit false"), () -> "JUnit is off the class path: " + out);
        assertTrue(out.contains("grading false"), () -> "the grading module is off the class path: " + out);
        Matcher ps = Pattern.compile("ps (\\d+)").matcher(out);
        assertTrue(ps.find() && Integer.parseInt(ps.group(1)) > 0, () -> "ps() lists the JVM's threads: " + out);
        assertTrue(out.contains("threads [0, 1, 4]"), out);
        assertTrue(out.contains("chart true"), () -> "the chart renders as PNG: " + out);
    }

    private static List<String> runtimeClasspath() throws Exception {
        Path file = Path.of("target", "runtime-classpath.txt");
        assertTrue(Files.isRegularFile(file), "no " + file + ": the dependency plugin's build-classpath step (kernel-lib/pom.xml) writes it");
        String text = Files.readString(file).strip();
        assertFalse(text.isEmpty(), "the helper library has runtime dependencies (OSHI, JFreeChart...)");
        return List.of(text.split(Pattern.quote(File.pathSeparator)));
    }
}
