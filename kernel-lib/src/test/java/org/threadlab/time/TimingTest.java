package org.threadlab.time;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TimingTest {

    @Test
    void sleepTakesWallTimeButLittleCpu() {
        Timing<Void> t = Timing.of(() -> Thread.sleep(300));   // a Block may throw: no try/catch in cells
        assertTrue(t.wallMs() >= 295 && t.wallMs() < 30_000, "wall " + t.wallMs());
        assertTrue(t.cpuMs() < t.wallMs(), "sleeping should cost less CPU than wall time: " + t);
    }

    @Test
    void countingUsesCpuTime() {
        // CPU time of fixed work does not depend on how loaded the machine is, only wall time does
        Timing<Long> t = Timing.of(() -> Work.count(200_000_000));
        assertTrue(t.cpuMs() > 20, "200 million steps took only " + t.cpuMs() + " ms of CPU");
        assertEquals(Work.count(200_000_000), t.result());
        assertTrue(t.coresBusy() > 0, t.toString());
    }

    @Test
    void endedChildProcessCountsAsChildrenCpu() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "children's CPU needs /proc");
        Timing<Integer> t = Timing.of(() -> {
            Process p = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done").start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            return p.exitValue();
        });
        assertTrue(t.childrenCpuAvailable());
        assertEquals(0, t.result());
        assertTrue(t.childrenCpuMs() > 0, "a shell counting to 300000 used no CPU? " + t);
    }

    @Test
    void tableNamesEveryQuantityWithItsUnit() {
        String s = Timing.of(() -> { }).named("nothing").toString();
        assertTrue(s.startsWith("nothing\n"), s);
        assertTrue(s.contains("wall time") && s.contains("CPU, this JVM") && s.contains("CPU, children") && s.contains(" ms"), s);
    }

    @Test
    void checkedExceptionOfTheBlockIsReportedNotSwallowed() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> Timing.of(() -> {
            throw new java.io.IOException("disk gone");
        }));
        assertInstanceOf(java.io.IOException.class, e.getCause());
    }

    @Test
    void benchGivesOrderedStatisticsOfTheMeasuredRuns() {
        Stats s = Bench.bench(2, 5, () -> Work.count(100_000));
        assertEquals(5, s.runs());
        assertEquals(2, s.warmup());
        assertTrue(s.minMs() <= s.medianMs() && s.medianMs() <= s.maxMs(), s.toString());
        assertTrue(s.minMs() > 0);
        assertTrue(s.spread() >= 0);
    }

    @Test
    void adaptiveBenchMeasuresAtLeastThreeRuns() {
        Stats s = Bench.bench(() -> Work.count(10_000));
        assertTrue(s.runs() >= 3, s.toString());
    }

    @Test
    void medianOfEvenCountIsMeanOfMiddleTwo() {
        Stats s = new Stats("x", 0, 4, 1, 3, 2);
        assertEquals(2.5, s.medianMs());
        assertEquals(1, s.minMs());
        assertEquals(4, s.maxMs());
        assertEquals(1.2, s.spread(), 1e-9);
    }

    @Test
    void comparisonGivesSpeedupAgainstTheFirstVariant() {
        Comparison c = Bench.compare(0, 3,
                Variant.of("short", () -> sleep(10)),
                Variant.of("long", () -> sleep(80)));
        assertEquals(1.0, c.speedup("short"), 1e-9);
        assertTrue(c.speedup("long") < 0.6, c.toString());
        String table = c.toString();
        assertTrue(table.contains("speed-up") && table.contains("1.00x"), table);
    }

    @Test
    void variantsWithTheSameNameAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bench.compare(Variant.of("a", () -> { }), Variant.of("a", () -> { })));
        assertTrue(e.getMessage().contains("different name"), e.getMessage());
    }

    @Test
    void unknownVariantNameListsTheKnownOnes() {
        Comparison c = Bench.compare(0, 1, Variant.of("one", () -> { }));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.speedup("two"));
        assertTrue(e.getMessage().contains("[one]"), e.getMessage());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }
}
