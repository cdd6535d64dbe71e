package org.threadlab.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** %%timeit and %reset, the magics an instructor live-codes with, on a kernel of their own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LiveCodingMagicsTest {
    private ThreadLabKernel kernel;
    private final StringBuilder printed = new StringBuilder();

    @BeforeAll
    void start() {
        kernel = ThreadLabKernel.builder().config(KernelConfig.defaults()).build();
        kernel.output().tap((cell, text) -> {
            synchronized (printed) {
                printed.append(text);
            }
        });
        kernel.start();
    }

    @AfterAll
    void stop() {
        kernel.onShutdown(false);
    }

    @BeforeEach
    void clearPrinted() {
        kernel.output().flush();
        synchronized (printed) {
            printed.setLength(0);
        }
    }

    private String printed() {
        kernel.output().flush();
        synchronized (printed) {
            return printed.toString();
        }
    }

    @Test
    void timeitRunsTheBodyWarmUpPlusLoopsTimesRunsAndPrintsMedianMinMaxSpread() {
        kernel.execute("int calls = 0;");
        ThreadLabKernel.CellResult r = kernel.execute("%%timeit -n 10 -r 3\ncalls++;");
        assertTrue(r.ok(), String.valueOf(r.error()));
        assertNull(r.text(), "timeit shows its report, not a value");
        assertEquals("40", kernel.execute("calls").text(), "one warm-up run of 10 loops, then 3 runs of 10");
        String out = printed();
        assertTrue(out.matches("(?s).*per loop \\(median of 3 runs; min [0-9.]+ (ns|µs|ms|s), max .*, spread .*%\\).*"), out);
        assertTrue(out.contains("10 loops per run, after 10 warm-up loops"), out);
    }

    @Test
    void timeitChoosesLoopsSoThatARunTakesAFifthOfASecond() {
        ThreadLabKernel.CellResult r = kernel.execute("%%timeit -r 2\nThread.sleep(20)");
        assertTrue(r.ok(), String.valueOf(r.error()));
        Matcher m = Pattern.compile("([0-9,]+) loops? per run").matcher(printed());
        assertTrue(m.find(), printed());
        int loops = Integer.parseInt(m.group(1).replace(",", ""));
        // 20 ms per loop: 10 loops is the first count of 1, 2, 5, 10 that reaches 0.2 s
        assertEquals(10, loops, printed());
        assertTrue(printed().matches("(?s)^[0-9.]+ ms per loop.*"), printed());
    }

    @Test
    void timeitOfAStatementBlockAndOfAnExpressionBothWork() {
        assertTrue(kernel.execute("%%timeit -n 5 -r 2\nint s = 0;\nfor (int i = 0; i < 100; i++) s += i;").ok());
        assertTrue(kernel.execute("%%timeit -n 5 -r 2\n6 * 7").ok());
    }

    @Test
    void timeitLeavesNoDefinitionBehind() {
        assertTrue(kernel.execute("%%timeit -n 2 -r 1\nint scratch = 3;").ok());
        assertFalse(kernel.execute("scratch").ok(), "a variable of the timed body must not leak");
        assertFalse(kernel.execute("$threadlab$timeitBody()").ok(), "the kernel's helper method is dropped");
    }

    @Test
    void timeitCompileErrorPointsAtTheBody() {
        ThreadLabKernel.CellResult r = kernel.execute("%%timeit\nint x = ;");
        assertFalse(r.ok());
        assertEquals("CompileError", r.error().name());
    }

    @Test
    void timeitBadOptionSaysHowToWriteIt() {
        ThreadLabKernel.CellResult r = kernel.execute("%%timeit -n lots\n1");
        assertFalse(r.ok());
        assertTrue(r.error().message().contains("-n needs a whole number"), r.error().message());
        r = kernel.execute("%%timeit -x 3\n1");
        assertTrue(r.error().message().contains("-n LOOPS and -r RUNS"), r.error().message());
    }

    @Test
    void resetForgetsDefinitionsKeepsImportsAndStopsLeftoverThreads() {
        assertTrue(kernel.execute("int before = 1; String hello() { return \"hi\"; } record Point(int x, int y) {} import java.util.regex.Pattern;").ok());
        kernel.execute("new Thread(() -> { try { Thread.sleep(60_000); } catch (InterruptedException e) {} }, \"lingerer\").start();");
        assertTrue(kernel.liveThreads(-1).stream().anyMatch(t -> t.name().equals("lingerer")));

        clearPrinted();
        ThreadLabKernel.CellResult r = kernel.execute("%reset -f");
        assertTrue(r.ok(), String.valueOf(r.error()));
        String said = printed();
        assertTrue(said.matches("(?s)Reset: cleared .*variables?, .*methods?, .*class.*import.* and 1 running thread \\(stopped\\).*"), said);

        assertFalse(kernel.execute("before").ok(), "the variable is gone");
        assertFalse(kernel.execute("hello()").ok(), "the method is gone");
        assertFalse(kernel.execute("new Point(1, 2)").ok(), "the class is gone");
        assertTrue(kernel.liveThreads(-1).stream().noneMatch(t -> t.name().equals("lingerer")), "the thread was stopped");
        assertEquals("[1, 2]", kernel.execute("List.of(1, 2)").text(), "default imports stay");
        assertEquals("1", kernel.execute("Table.of(List.of(\"a\"), List.of(List.of(\"1\"))).size()").text(), "the helper library stays");
        assertEquals("2", kernel.execute("int before = 2; before").text(), "names can be defined afresh");
    }

    @Test
    void threadsACellLeavesRunningAreLabelledWithItsNumberInTheNoteAndInThreadsMagic() {
        kernel.execute("new Thread(() -> { try { Thread.sleep(60_000); } catch (InterruptedException e) {} }, \"labelled\").start();");
        Matcher note = Pattern.compile("started by this cell \\[(\\d+)] still running: \"labelled\".*%stop (\\d+)]").matcher(printed());
        assertTrue(note.find(), printed());
        String cell = note.group(1);
        assertEquals(cell, note.group(2));
        clearPrinted();
        assertTrue(kernel.execute("%threads").ok());
        assertTrue(Pattern.compile("(?m)^\\s*" + cell + "\\s+labelled\\s+TIMED_WAITING").matcher(printed()).find(), printed());
        assertTrue(kernel.execute("%stop " + cell).ok());
    }

    @Test
    void resetRejectsUnknownOptions() {
        ThreadLabKernel.CellResult r = kernel.execute("%reset --hard");
        assertFalse(r.ok());
        assertTrue(r.error().message().contains("%reset -f"), r.error().message());
    }

    /** %threads and %stop get their data through the typed client: a name with the old separators (tab, U+001F) and quotes arrives whole. */
    @Test
    void threadsAndStopMagicsWorkThroughTheTypedClient() {
        String name = "odd\tname \"q\" \u001f end";
        kernel.execute("new Thread(() -> { try { Thread.sleep(60_000); } catch (InterruptedException e) {} }, \"odd\\tname \\\"q\\\" \\u001f end\").start();");
        // the thread may not have reached its sleep yet on a busy machine: wait for it (the test's timeout bounds this)
        var mine = kernel.liveThreads(-1).stream().filter(t -> t.name().equals(name)).toList();
        while (mine.size() == 1 && !mine.get(0).state().equals("TIMED_WAITING")) {
            mine = kernel.liveThreads(-1).stream().filter(t -> t.name().equals(name)).toList();
        }
        assertEquals(1, mine.size(), "the thread with its name whole: " + kernel.liveThreads(-1));
        assertEquals("TIMED_WAITING", mine.get(0).state());
        assertFalse(mine.get(0).daemon());
        int cell = mine.get(0).cell();
        clearPrinted();
        assertTrue(kernel.execute("%threads").ok());
        assertTrue(printed().contains("name \"q\""), printed());
        clearPrinted();
        ThreadLabKernel.CellResult r = kernel.execute("%stop all");
        assertTrue(r.ok(), String.valueOf(r.error()));
        assertTrue(printed().contains("cell [" + cell + "]: 1 thread stopped"), printed());
        assertTrue(kernel.liveThreads(-1).stream().noneMatch(t -> t.name().equals(name)), "the thread was stopped");
        clearPrinted();
        assertTrue(kernel.execute("%stop all").ok());
        assertTrue(printed().contains("No thread of an earlier cell is running."), printed());
    }
}
