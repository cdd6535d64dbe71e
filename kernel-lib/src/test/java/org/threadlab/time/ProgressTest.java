package org.threadlab.time;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ProgressTest {

    private static String captured(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainTextEndsWithOneDoneLine() {
        String out = captured(() -> {
            try (Progress p = Progress.start("tasks", 10)) {
                for (int i = 0; i < 10; i++) p.step();
            }
        });
        String[] lines = out.strip().split("\n");
        assertTrue(lines[lines.length - 1].contains("10/10") && lines[lines.length - 1].contains("(done)"), out);
        assertEquals(1, out.split("\\(done\\)", -1).length - 1, "done is shown once: " + out);
    }

    @Test
    void fastStepsDoNotFloodTheOutput() {
        String out = captured(() -> {
            Progress p = Progress.start("fast", 1_000_000);
            for (int i = 0; i < 1_000_000; i++) p.step();
            p.done();
            p.done();
        });
        assertTrue(out.strip().split("\n").length <= 3, "a million steps printed:\n" + out);
    }

    @Test
    void stepsFromManyThreadsAllCount() throws Exception {
        Progress p = Progress.start("threads", 4 * 10_000);
        captured(() -> {
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> { for (int i = 0; i < 10_000; i++) p.step(); });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            }
            p.done();
        });
        assertEquals(40_000, p.count());
    }

    @Test
    void overVisitsEveryItemAndFinishes() {
        List<String> seen = new ArrayList<>();
        String out = captured(() -> {
            for (String s : Progress.over("letters", List.of("a", "b", "c"))) seen.add(s);
        });
        assertEquals(List.of("a", "b", "c"), seen);
        assertTrue(out.contains("3/3") && out.contains("(done)"), out);
    }

    @Test
    void unknownTotalCountsWithoutABar() {
        Progress.View v = new Progress.View("lines", 42, 0, 1.5, false);
        assertEquals("lines  42  1.5 s", v.toString());
        assertTrue(new Progress.View("x", 5, 10, 1, false).toHtml().contains("<progress value=\"5\" max=\"10\""));
    }
}
