package org.threadlab.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session on a real execution JVM: cells, errors, and where output of threads goes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionTest {
    private final RecordingSink sink = new RecordingSink();
    private Session session;
    private int cell = 100;

    @BeforeAll
    void start() {
        session = new Session(KernelConfig.defaults(), sink);
        session.start();
    }

    @AfterAll
    void stop() {
        session.close();
    }

    private Session.Outcome run(String code) {
        return session.run(++cell, code);
    }

    private void sync() {
        assertTrue(session.jvm().agent().sync(5000), "the side channel answers a sync");
    }

    @Test
    void expressionValueIsReturnedAsText() {
        Session.Outcome o = run("6 * 7");
        assertTrue(o.ok());
        assertEquals("42", o.valueText());
    }

    @Test
    void aLockTakenInOneStatementIsReleasedInTheNext() {
        // one cell is one thread: students take a lock and release it a few statements later
        Session.Outcome o = run("var lock = new ReentrantLock();\nlock.lock();\nlong first = Thread.currentThread().threadId();\n"
                + "lock.unlock();\nThread.currentThread().threadId() == first && !lock.isLocked()");
        assertTrue(o.ok(), String.valueOf(o.error()));
        assertEquals("true", o.valueText());
    }

    @Test
    void declarationsLiveOnInLaterCells() {
        run("int base = 40;\nint plus(int a) { return base + a; }");
        assertEquals("42", run("plus(2)").valueText());
    }

    @Test
    void statementsGiveNoValue() {
        Session.Outcome o = run("int unused = 3;");
        assertTrue(o.ok());
        assertNull(o.valueText());
    }

    @Test
    void compileErrorNamesTheLineAndPutsACaretUnderTheColumn() {
        Session.Outcome o = run("int a = 1;\nint b = a +;\n");
        assertFalse(o.ok());
        assertEquals("CompileError", o.error().name());
        String tb = String.join("\n", o.error().traceback());
        assertTrue(tb.contains("line 2"), tb);
        assertTrue(tb.contains("int b = a +;"), tb);
        String[] lines = tb.split("\n");
        int caretLine = -1;
        for (int i = 0; i < lines.length; i++) if (lines[i].trim().equals("^")) caretLine = i;
        assertTrue(caretLine > 0, "a caret line follows the source line: " + tb);
        int column = lines[caretLine].indexOf('^');
        assertEquals(';', lines[caretLine - 1].charAt(column), "the caret points at the token after '+': " + tb);
    }

    @Test
    void runtimeExceptionShowsTypeMessageAndCellFramesFirst() {
        Session.Outcome o = run("void inner() { throw new IllegalStateException(\"bad state\"); }\n\ninner();");
        assertFalse(o.ok());
        assertEquals("IllegalStateException", o.error().name());
        assertEquals("bad state", o.error().message());
        String tb = String.join("\n", o.error().traceback());
        assertTrue(tb.startsWith("java.lang.IllegalStateException: bad state"), tb);
        String firstFrame = o.error().traceback().get(1);
        assertTrue(firstFrame.contains("inner") && firstFrame.contains("line 1"), tb);
        assertTrue(o.error().traceback().get(2).contains("line 3"), tb);
        assertFalse(tb.contains("jdk.internal.reflect"), "no reflection plumbing: " + tb);
        assertFalse(tb.contains("org.threadlab.agent"), "no agent plumbing: " + tb);
    }

    @Test
    void systemExitIsRefusedAndStateSurvives() {
        run("String kept = \"still here\";");
        Session.Outcome o = run("System.exit(0);");
        assertFalse(o.ok());
        assertEquals("SystemExit", o.error().name());
        assertEquals("\"still here\"", run("kept").valueText());
    }

    @Test
    void printedLinesGoToTheCellThatRanThem() {
        int mine = cell + 1;
        run("System.out.println(\"from the cell\"); System.err.println(\"to stderr\");");
        sync();
        assertTrue(sink.textOf(mine).contains("from the cell\n"), sink.allText());
        assertTrue(sink.texts.stream().anyMatch(t -> t.cell() == mine && t.stderr() && t.text().contains("to stderr")));
    }

    @Test
    void threadOutputAfterTheCellEndedStillGoesToThatCell() throws Exception {
        int starter = cell + 1;
        run("new Thread(() -> { try { Thread.sleep(500); } catch (InterruptedException e) {} System.out.println(\"late line\"); }).start();");
        run("int other = 1;");
        Thread.sleep(1500);
        sync();
        assertTrue(sink.textOf(starter).contains("late line"), "late output belongs to the starting cell: " + sink.texts);
        assertFalse(sink.textOf(starter + 1).contains("late line"));
    }

    @Test
    void virtualThreadAndExecutorOutputFollowsTheirCell() {
        int starter = cell + 1;
        run("""
                try (var ex = Executors.newFixedThreadPool(2)) { ex.submit(() -> System.out.println("pool says hi")); }
                Thread.ofVirtual().start(() -> System.out.println("virtual says hi")).join();
                """);
        sync();
        String text = sink.textOf(starter);
        assertTrue(text.contains("pool says hi") && text.contains("virtual says hi"), text);
    }

    @Test
    void linesFromManyThreadsStayWhole() {
        int starter = cell + 1;
        run("""
                var ts = new ArrayList<Thread>();
                for (int t = 0; t < 4; t++) { int id = t; ts.add(new Thread(() -> { for (int i = 0; i < 200; i++) System.out.println("thread-" + id + "-line-" + i + "-end"); })); }
                ts.forEach(Thread::start);
                for (Thread t : ts) t.join();
                """);
        sync();
        String[] lines = sink.textOf(starter).split("\n");
        int count = 0;
        for (String line : lines) {
            if (line.isEmpty()) continue;
            assertTrue(line.matches("thread-\\d-line-\\d+-end"), "whole line: '" + line + "'");
            count++;
        }
        assertEquals(800, count);
    }

    @Test
    void uncaughtExceptionInAThreadIsSentAsATypedMessageOfItsCellNotAsText() {
        int starter = cell + 1;
        run("var t = new Thread(() -> { throw new ArithmeticException(\"div by zero\"); }, \"worker\"); t.start(); t.join();");
        sync();
        java.util.List<RecordingSink.Failed> mine;
        synchronized (sink) {
            mine = sink.failures.stream().filter(f -> f.cell() == starter).toList();
        }
        assertEquals(1, mine.size(), "one ThreadFailed for the cell: " + sink.failures);
        var failed = mine.get(0).failed();
        assertEquals("worker", failed.thread());
        assertEquals("java.lang.ArithmeticException", failed.chain().get(0).className());
        assertEquals("div by zero", failed.chain().get(0).message());
        assertTrue(failed.chain().get(0).frames().stream().anyMatch(org.threadlab.agent.protocol.Message.Frame::cell),
                "the lambda of the cell is among the frames: " + failed);
        assertFalse(failed.toString().contains("jdk.internal") || failed.toString().contains("org.threadlab.agent"), failed.toString());
        assertFalse(sink.textOf(starter).contains("Exception in thread"), sink.textOf(starter));
    }

    @Test
    void richValuesComeWithTheirDisplayData() {
        Session.Outcome o = run("new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB)");
        assertTrue(o.ok());
        assertNotNull(o.valueJson());
        assertTrue(o.valueJson().contains("image/png"), o.valueJson());
    }

    @Test
    void displayCallSendsDisplayDataToTheCell() {
        int starter = cell + 1;
        run("display(Table.of(List.of(\"k\"), List.of(List.of(\"v\"))));");
        sync();
        assertTrue(sink.displays.stream().anyMatch(d -> d.startsWith(starter + " display") && d.contains("text/html")), sink.displays.toString());
    }
}
