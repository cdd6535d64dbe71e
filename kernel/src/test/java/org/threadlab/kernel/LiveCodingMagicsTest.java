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

/** %%timeit, %reset, %present, %threads and %stop, the magics an instructor live-codes with, and the notices of threads left running, on a kernel of their own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LiveCodingMagicsTest {
    private ThreadLabKernel kernel;
    private final StringBuilder printed = new StringBuilder();
    private final java.util.List<CellOutput.Notice> notices = new java.util.ArrayList<>();

    @BeforeAll
    void start() {
        kernel = ThreadLabKernel.builder().config(KernelConfig.defaults()).build();
        kernel.output().tap((cell, text) -> {
            synchronized (printed) {
                printed.append(text);
            }
        });
        kernel.output().noticeTap(n -> {
            synchronized (notices) {
                notices.add(n);
                notices.notifyAll();
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

    /** The notices published so far whose text matches {@code regex}. */
    private java.util.List<CellOutput.Notice> noticesMatching(String regex) {
        synchronized (notices) {
            return notices.stream().filter(n -> n.text().matches("(?s)" + regex)).toList();
        }
    }

    /** Waits (the test's timeout bounds it) for an update of notice {@code id} whose text matches {@code regex}. */
    private CellOutput.Notice awaitUpdate(String id, String regex) throws InterruptedException {
        synchronized (notices) {
            while (true) {
                for (CellOutput.Notice n : notices) {
                    if (n.update() && n.id().equals(id) && n.text().matches("(?s)" + regex)) return n;
                }
                notices.wait(200);
            }
        }
    }

    /** The notice that cell {@code cell}'s threads are still running; there must be exactly one. */
    private CellOutput.Notice runningNotice(int cell) {
        var shown = noticesMatching("\\[\\d+ threads? started by this cell \\[" + cell + "] still running.*").stream()
                .filter(n -> !n.update() && n.cell() == cell).toList();
        assertEquals(1, shown.size(), "one notice for cell " + cell + ": " + notices);
        return shown.get(0);
    }

    @Test
    void threadsACellLeavesRunningAreLabelledWithItsNumberInTheNoteAndInThreadsMagic() {
        kernel.execute("new Thread(() -> { try { Thread.sleep(60_000); } catch (InterruptedException e) {} }, \"labelled\").start();");
        var labelled = noticesMatching(".*still running: \"labelled\".*");
        assertEquals(1, labelled.size(), String.valueOf(notices));
        Matcher note = Pattern.compile("started by this cell \\[(\\d+)] still running: \"labelled\".*%stop (\\d+)]").matcher(labelled.get(0).text());
        assertTrue(note.find(), labelled.get(0).text());
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

    @Test
    void presentMagicSwitchesPresentationModeInTheExecutionJvm() {
        ThreadLabKernel.CellResult on = kernel.execute("%present on");
        assertTrue(on.ok(), String.valueOf(on.error()));
        assertEquals("true", kernel.execute("presenting()").text());
        assertTrue(kernel.execute("%present off").ok());
        assertEquals("false", kernel.execute("presenting()").text());
        ThreadLabKernel.CellResult bad = kernel.execute("%present maybe");
        assertFalse(bad.ok());
        assertTrue(bad.error().message().contains("%present on"), bad.error().message());
    }

    @Test
    void stillRunningNoticeIsNotStderrAndSaysWhenTheThreadsHaveEnded() throws InterruptedException {
        kernel.execute("var endFirst = new CountDownLatch(1); var endSecond = new CountDownLatch(1);");
        kernel.execute("new Thread(() -> { try { endSecond.await(); } catch (InterruptedException e) {} }, \"short-lived\").start();\n"
                + "new Thread(() -> { try { endFirst.await(); } catch (InterruptedException e) {} }, \"shorter-lived\").start();");
        var shown = noticesMatching(".*still running: .*\"short-lived\".*");
        assertEquals(1, shown.size(), String.valueOf(notices));
        CellOutput.Notice first = shown.get(0);
        assertTrue(first.text().startsWith("[2 threads started by this cell [" + first.cell() + "]"), first.text());
        assertFalse(printed().contains("still running"), "the notice is not printed as text (stderr): " + printed());
        // one ends: the same notice then names only the other
        assertTrue(kernel.execute("endFirst.countDown();").ok());
        CellOutput.Notice fewer = awaitUpdate(first.id(), "\\[1 thread started by this cell.*\"short-lived\".*");
        assertFalse(fewer.text().contains("shorter-lived"), fewer.text());
        assertTrue(kernel.execute("endSecond.countDown();").ok());
        CellOutput.Notice ended = awaitUpdate(first.id(), ".*have all ended.*");
        assertEquals(first.cell(), ended.cell(), "the update goes to the cell that started the threads");
    }

    @Test
    void stopSaysInItsOwnCellThatInterruptEndedTheThreadsAndSettlesTheirNotice() throws InterruptedException {
        kernel.execute("new Thread(() -> { try { Thread.sleep(60_000); } catch (InterruptedException e) {} }, \"polite\").start();");
        CellOutput.Notice notice = noticesMatching(".*still running: \"polite\".*").get(0);
        int cell = notice.cell();
        clearPrinted();
        assertTrue(kernel.execute("%stop " + cell).ok());
        assertTrue(printed().contains("cell [" + cell + "]: 1 thread stopped (Thread.interrupt() ended it)."), printed());
        awaitUpdate(notice.id(), "\\[the thread this cell left running was stopped by %stop in cell \\[\\d+]]");
        assertTrue(kernel.execute("%stop " + cell).ok());
        assertTrue(printed().contains("cell [" + cell + "] has no thread running."), printed());
    }

    @Test
    void threadStoppedByForceIsSaidToBeForcedNotInterrupted() throws InterruptedException {
        kernel.execute("new Thread(() -> { while (true) { Thread.interrupted(); } }, \"stubborn\").start();");
        int cell = noticesMatching(".*still running: \"stubborn\".*").get(0).cell();
        StringBuilder ofCell = new StringBuilder();
        kernel.output().tap((c, text) -> {
            synchronized (printed) {
                printed.append(text);
                if (c == cell) ofCell.append(text);
            }
        });
        clearPrinted();
        assertTrue(kernel.execute("%stop " + cell).ok());
        assertTrue(printed().contains("cell [" + cell + "]: 1 thread stopped (those that ignored Thread.interrupt() were stopped by force)."), printed());
        // the thread's own last line arrives through the side channel: wait for it
        while (!printed().contains("[thread \"stubborn\" ignored Thread.interrupt() and was stopped by force]")) Thread.sleep(50);
        synchronized (printed) {
            assertFalse(ofCell.toString().contains("by the interrupt"), ofCell.toString());
        }
    }

    @Test
    void stopOfThreadsBlockedOnMonitorsSaysTheJvmRestartedInItsOwnCellAndLeavesNoPhantomThread() throws InterruptedException {
        StringBuilder byCell = new StringBuilder();
        kernel.output().tap((c, text) -> {
            synchronized (printed) {
                printed.append(text);
                byCell.append("<").append(c).append(">").append(text);
            }
        });
        kernel.execute("var lockA = new Object(); var lockB = new Object(); var ready = new CountDownLatch(2);");
        kernel.execute("""
                new Thread(() -> { synchronized (lockA) { ready.countDown(); try { ready.await(); } catch (InterruptedException e) {} synchronized (lockB) {} } }, "ab").start();
                new Thread(() -> { synchronized (lockB) { ready.countDown(); try { ready.await(); } catch (InterruptedException e) {} synchronized (lockA) {} } }, "ba").start();
                ready.await();""");
        CellOutput.Notice notice = noticesMatching(".*still running: \"ab\", \"ba\".*").get(0);
        int cell = notice.cell();
        clearPrinted();
        synchronized (printed) {
            byCell.setLength(0);
        }
        ThreadLabKernel.CellResult r = kernel.execute("%stop " + cell);
        assertTrue(r.ok(), String.valueOf(r.error()));
        String said = printed();
        assertTrue(said.contains("cell [" + cell + "]: its 2 threads would not stop (\""), said);
        assertTrue(said.contains("(blocked on a monitor (synchronized))"), said);
        assertTrue(said.contains("so the execution JVM was restarted, which ended them all."), said);
        assertTrue(said.contains("The execution JVM was restarted because threads of cell [" + cell + "] would not stop"), said);
        synchronized (printed) {
            assertFalse(byCell.toString().contains("<" + cell + ">"), "nothing is appended to the cell of the threads: " + byCell);
        }
        assertFalse(said.contains("stopped (some by force)"), said);
        awaitUpdate(notice.id(), "\\[the 2 threads this cell left running ended: the execution JVM was restarted during cell \\[\\d+]]");
        clearPrinted();
        assertTrue(kernel.execute("%threads").ok());
        assertTrue(printed().startsWith("No thread started by an earlier cell is still running."), "no cell--1 after the replay: " + printed());
        assertEquals("true", kernel.execute("lockA != lockB").text(), "the declarations were replayed");
    }

    @Test
    void threadsMagicSumsUpTheTestThreadsOfCheckInsteadOfListingThem() {
        kernel.execute("for (int i = 0; i < 3; i++) new Thread(() -> { try { Thread.sleep(60_000); } catch (InterruptedException e) {} }, \"grading-worker-\" + i).start();");
        int cell = runningNotice(noticesMatching(".*\"grading-worker-0\".*").get(0).cell()).cell();
        clearPrinted();
        assertTrue(kernel.execute("%threads").ok());
        String said = printed();
        assertFalse(said.contains("grading-worker-0"), said);
        assertTrue(said.contains("check()'s tests in cell [" + cell + "] left 3 threads stuck in your code (a deadlock?); %stop " + cell + " ends them."), said);
        assertTrue(kernel.execute("%stop " + cell).ok());
    }
}
