package org.threadlab.interleave;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Code written in notebook cells: JShell compiles it into REPL.$JShell$N classes that exist only
 * in its loader. Remote execution over JDI is what the kernel's execution JVM does; local
 * execution is what the grader does.
 */
class CellsTest {
    private static final List<String> CELLS = List.of(
            "import static org.threadlab.ThreadLab.*;",
            "class Counter { int n; void inc() { n = n + 1; } }",
            "class Stepped { int n; void inc() { int t = n; step(); n = t + 1; } }",
            "var race = interleave(Counter::new, Counter::inc, Counter::inc);");

    @Test
    void aRacyCounterWrittenInCellsIsCaughtWithRemoteExecution() throws Exception {
        try (JShell js = JShell.builder().out(quiet()).err(quiet())
                .remoteVMOptions("-cp", System.getProperty("java.class.path")).build()) {
            lostUpdateIsFound(js);
            assertEquals("\"[n=1, n=2]\"", eval(js, "race.explore().outcomes().stream().sorted().toList().toString()"));
            // replay runs in the cell's own JVM: the lost update in the order A read, B read, A write, B write
            assertEquals("\"n=1\"", eval(js, "interleave(Stepped::new, Stepped::inc, Stepped::inc).schedule(\"ABAB\").outcome()"));
        }
    }

    @Test
    void aRacyCounterWrittenInCellsIsCaughtWithLocalExecution() throws Exception {
        try (JShell js = JShell.builder().executionEngine("local").out(quiet()).err(quiet()).build()) {
            lostUpdateIsFound(js);
        }
    }

    private static void lostUpdateIsFound(JShell js) {
        js.addToClasspath(System.getProperty("java.class.path"));
        for (String c : CELLS) eval(js, c);
        eval(js, "var f = race.firstFailure(c -> c.n == 2);");
        assertEquals("\"invariant broken: outcome n=1\"", eval(js, "f.kind() + \": \" + f.message()"));
        assertEquals("true", eval(js, "f.trace().steps().stream().anyMatch(s -> s.thread().equals(\"B\") && s.action().contains(\"n ➜ 0\"))"));
    }

    private static String eval(JShell js, String code) {
        String value = null;
        for (SnippetEvent e : js.eval(code)) {
            assertNull(e.exception(), () -> code + " threw " + e.exception() + ": " + e.exception().getMessage());
            if (e.status() == Snippet.Status.REJECTED) {
                throw new AssertionError(code + " rejected: " + js.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList());
            }
            if (e.value() != null) value = e.value();
        }
        return value;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
