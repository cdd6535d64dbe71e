package org.threadlab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The helper library works without JUnit on the class path: ps(), threads and a chart, in a JVM
 * given only the library and its dependencies minus JUnit's. (JUnit is still a dependency of the
 * library's jar, for org.threadlab.grading, until the grader moves to a module of its own.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HelperLibraryWithoutJUnitTest {
    private static final Pattern JUNIT = Pattern.compile("junit|opentest4j|apiguardian|surefire");

    @Test
    void psThreadsAndChartWorkWithoutJUnit() throws Exception {
        List<String> cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> !JUNIT.matcher(Path.of(p).getFileName().toString()).find()).toList();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.awt.headless=true",
                "-cp", String.join(File.pathSeparator, cp), HelperLibraryProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("junit false"), () -> "JUnit is off the class path: " + out);
        Matcher ps = Pattern.compile("ps (\\d+)").matcher(out);
        assertTrue(ps.find() && Integer.parseInt(ps.group(1)) > 0, () -> "ps() lists the JVM's threads: " + out);
        assertTrue(out.contains("threads [0, 1, 4]"), out);
        assertTrue(out.contains("chart true"), () -> "the chart renders as PNG: " + out);
    }
}
