package org.threadlab.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An exception that ends a thread a cell started is an error output of that cell, and never fails the cell. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ThreadExceptionTest {
    private ThreadLabKernel kernel;
    private final List<CellOutput.Error> errors = new ArrayList<>();
    private final StringBuilder printed = new StringBuilder();

    @BeforeAll
    void start() {
        kernel = ThreadLabKernel.builder().config(KernelConfig.defaults()).build();
        kernel.output().errorTap(e -> {
            synchronized (errors) {
                errors.add(e);
                errors.notifyAll();
            }
        });
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

    /** Runs {@code code} as the next cell, known to the output as a cell of the notebook; returns its number and result. */
    private record Ran(int cell, ThreadLabKernel.CellResult result) {}

    private Ran run(String code) {
        synchronized (kernel) {
            int cell = kernel.nextCellNumber();
            kernel.output().beginCell(cell, null);
            return new Ran(cell, kernel.execute(code));
        }
    }

    private CellOutput.Error awaitErrorOf(int cell) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        synchronized (errors) {
            while (System.nanoTime() < deadline) {
                for (CellOutput.Error e : errors) if (e.cell() == cell) return e;
                errors.wait(100);
            }
        }
        throw new AssertionError("no error output for cell " + cell + ": " + errors);
    }

    @Test
    void anExceptionInAThreadIsAnErrorOutputOfItsCellAndTheCellSucceeds() throws Exception {
        Ran ran = run("var t = new Thread(() -> { throw new ArithmeticException(\"div by zero\"); }, \"worker\"); t.start(); t.join(); 6 * 7");
        assertTrue(ran.result().ok(), "the cell itself did not fail: " + ran.result().error());
        assertEquals("42", ran.result().text());
        CellOutput.Error e = awaitErrorOf(ran.cell());
        assertEquals("ArithmeticException", e.ename());
        assertEquals("div by zero", e.evalue());
        assertEquals("Exception in thread \"worker\" java.lang.ArithmeticException: div by zero", e.traceback().get(0));
        assertTrue(e.traceback().size() > 1, "the traceback has the frames: " + e.traceback());
        String all = String.join("\n", e.traceback());
        assertFalse(all.contains("jdk.internal") || all.contains("org.threadlab.agent"), all);
        kernel.output().flush();
        synchronized (printed) {
            assertFalse(printed.toString().contains("Exception in thread"), "not as text: " + printed);
        }
    }

    @Test
    void anExceptionAfterTheCellEndedGoesToTheCellWhoseThreadThrew() throws Exception {
        kernel.execute("var go = new CountDownLatch(1);");
        Ran starter = run("new Thread(() -> { try { go.await(); } catch (InterruptedException e) { } throw new IllegalStateException(\"late\"); }, \"late-one\").start();");
        assertTrue(starter.result().ok());
        Ran later = run("go.countDown();");
        assertTrue(later.result().ok());
        CellOutput.Error e = awaitErrorOf(starter.cell());
        assertEquals("IllegalStateException", e.ename());
        assertEquals("late", e.evalue());
        synchronized (errors) {
            assertTrue(errors.stream().noneMatch(x -> x.cell() == later.cell()), "nothing in the cell that released it: " + errors);
        }
    }

    @Test
    void aClassTheCellDefinedIsNamedWithoutJShellsWrapper() throws Exception {
        kernel.execute("class BankTrouble extends RuntimeException { BankTrouble(String m) { super(m); } }");
        kernel.execute("class BankTrouble extends RuntimeException { BankTrouble(String m) { super(m + \"!\"); } }");
        Ran ran = run("var t2 = new Thread(() -> { throw new BankTrouble(\"overdrawn\"); }, \"teller\"); t2.start(); t2.join();");
        assertTrue(ran.result().ok());
        CellOutput.Error e = awaitErrorOf(ran.cell());
        assertEquals("BankTrouble", e.ename());
        assertEquals("overdrawn!", e.evalue());
        String all = String.join("\n", e.traceback());
        assertFalse(all.contains("$JShell$") || all.contains("REPL."), all);
        assertTrue(all.startsWith("Exception in thread \"teller\" BankTrouble: overdrawn!\n    at a lambda (cell code)"), all);
    }
}
