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

/** The "running... N s" line of cells that run longer than {@value CellProgress#AFTER_MS} ms, on a kernel of its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CellProgressTest {
    private ThreadLabKernel kernel;
    private final List<CellOutput.Notice> notices = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    @BeforeAll
    void start() {
        kernel = ThreadLabKernel.builder().config(KernelConfig.defaults()).build();
        kernel.output().noticeTap(n -> {
            synchronized (notices) {
                notices.add(n);
                notices.notifyAll();
            }
        });
        kernel.output().tap((cell, text) -> {
            synchronized (stderr) {
                stderr.append(text);
            }
        });
        kernel.start();
        kernel.execute("1");
    }

    @AfterAll
    void stop() {
        kernel.onShutdown(false);
    }

    /** The progress notices of the cell run next, in the order they were published. */
    private List<CellOutput.Notice> progressOf(int cell) {
        synchronized (notices) {
            return notices.stream().filter(n -> n.cell() == cell && n.id().startsWith("threadlab-progress-")).toList();
        }
    }

    /** The number of the cell {@link #run} ran last. */
    private volatile int lastCell;

    private ThreadLabKernel.CellResult run(String code) {
        // execute() holds the kernel's lock while it takes the next number and runs the cell
        synchronized (kernel) {
            lastCell = kernel.nextCellNumber();
            return kernel.execute(code);
        }
    }

    @Test
    void aFourSecondCellShowsRunningThenHowLongItRan() {
        ThreadLabKernel.CellResult r = run("Thread.sleep(4000); System.out.println(\"slept\");");
        assertTrue(r.ok(), String.valueOf(r.error()));
        List<CellOutput.Notice> shown = progressOf(lastCell);
        assertTrue(shown.size() >= 2, "a display, then at least its final update: " + shown);
        CellOutput.Notice first = shown.get(0), last = shown.get(shown.size() - 1);
        assertFalse(first.update(), "the first is display data: " + first);
        assertTrue(first.text().matches("running\\.\\.\\. \\d+ s"), first.text());
        assertTrue(shown.stream().allMatch(n -> n.id().equals(first.id())), "one display id, updated in place: " + shown);
        assertTrue(last.update(), "the last replaces it: " + last);
        assertTrue(last.text().matches("ran \\d+\\.\\d s"), last.text());
        double ran = Double.parseDouble(last.text().replaceAll("[^0-9.]", ""));
        assertTrue(ran >= 4.0, "the cell slept 4 s: " + last.text());
        synchronized (stderr) {
            assertFalse(stderr.toString().contains("running..."), "the line is display data, never stream text");
        }
    }

    @Test
    void shortCellsGetNoProgressLine() throws Exception {
        for (String code : List.of("1 + 1", "Thread.sleep(300);", "System.out.println(\"quick\");")) {
            long start = System.nanoTime();
            ThreadLabKernel.CellResult r = run(code);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(r.ok(), String.valueOf(r.error()));
            int cell = lastCell;
            // a tick that was due just after the cell ended would come now
            Thread.sleep(200);
            // judged by what the cell took here: on a machine too busy to run it within the threshold it is a long cell
            if (tookMs < CellProgress.AFTER_MS) assertEquals(List.of(), progressOf(cell), "cell '" + code + "' took " + tookMs + " ms");
        }
        // and none later, from a timer left behind
        Thread.sleep(CellProgress.AFTER_MS + 500);
        synchronized (notices) {
            assertTrue(notices.stream().filter(n -> n.id().startsWith("threadlab-progress-")).allMatch(n -> progressOf(n.cell()).size() >= 2),
                    "every progress line belongs to a long cell: " + notices);
        }
    }

    @Test
    void anInterruptedCellsLineSaysItWasStoppedAndStopsCounting() throws Exception {
        Thread interrupter = new Thread(() -> {
            try {
                synchronized (notices) {
                    while (notices.stream().noneMatch(n -> n.id().startsWith("threadlab-progress-") && n.cell() == lastCell
                            && n.text().startsWith("running"))) notices.wait(100);
                }
                kernel.interrupt();
            } catch (InterruptedException e) {
                // the test timed out
            }
        });
        synchronized (kernel) {
            lastCell = kernel.nextCellNumber();
            interrupter.start();
            ThreadLabKernel.CellResult r = kernel.execute("while (true) { }");
            assertEquals("Interrupted", r.error().name());
        }
        interrupter.join();
        int cell = lastCell;
        List<CellOutput.Notice> shown = progressOf(cell);
        CellOutput.Notice last = shown.get(shown.size() - 1);
        assertTrue(last.text().matches("stopped after \\d+\\.\\d s"), String.valueOf(shown));
        Thread.sleep(2 * CellProgress.EVERY_MS);
        assertEquals(shown.size(), progressOf(cell).size(), "nothing after the last word: " + progressOf(cell));
    }
}
