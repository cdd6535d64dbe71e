package org.threadlab.grading.exercises;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The speed test's rule for one attempt, on the figures a machine gives (ms, the caller's CPU share
 * of a plain loop, and the share of the time in which some task waited for a CPU).
 */
class ParallelSumVerdictTest {
    private static final double QUIET = 0.01, LOADED = 0.6;

    private static ParallelSumTests.Timing.Verdict of(double seq, double ref, double stu, double callerShare, double waited) {
        return new ParallelSumTests.Timing(seq, ref, stu, callerShare, waited).verdict();
    }

    @Test
    void aSumAboutAsFastAsTheKnownGoodOnePasses() {
        assertEquals(ParallelSumTests.Timing.Verdict.PASS, of(10, 6, 6.5, 0.0, QUIET));
        assertEquals(ParallelSumTests.Timing.Verdict.PASS, of(10, 6, 6.5, 0.0, LOADED));
    }

    @Test
    void aSumTheCallerComputesAloneFailsWhateverTheClockAndTheLoadSay() {
        // CPU time: a plain loop on the calling thread keeps all of the work there, however busy the machine
        assertEquals(ParallelSumTests.Timing.Verdict.FAIL, of(10, 6, 10.2, 1.0, QUIET));
        assertEquals(ParallelSumTests.Timing.Verdict.FAIL, of(10, 6, 7.0, 0.95, QUIET));
        assertEquals(ParallelSumTests.Timing.Verdict.FAIL, of(10, 9, 12, 1.0, LOADED));
    }

    @Test
    void aSumNoFasterThanThePlainLoopFailsOnAQuietMachineWhenTheKnownGoodOneWasClearlyFaster() {
        // threads started and joined one at a time: the caller only waits, yet nothing overlaps
        assertEquals(ParallelSumTests.Timing.Verdict.FAIL, of(10, 6, 10.5, 0.0, QUIET));
    }

    @Test
    void aSlowSumOnAMachineWhereThreadsWaitedForACoreIsLeftUnjudged() {
        // the pool-of-futures right answer lost so to the reference, twice, in a CI run at load 10 on two cores
        assertEquals(ParallelSumTests.Timing.Verdict.UNCLEAR, of(10, 6, 10.5, 0.0, LOADED));
        // a kernel without pressure information: the load is unknown, so a slow wall time proves nothing
        assertEquals(ParallelSumTests.Timing.Verdict.UNCLEAR, of(10, 6, 10.5, 0.0, Double.NaN));
    }

    @Test
    void aResultBetweenAPassAndAPlainFailIsLeftUnjudged() {
        // slower than half the reference's gain, but faster than the loop: a burst of load can do that
        assertEquals(ParallelSumTests.Timing.Verdict.UNCLEAR, of(10, 6, 8.6, 0.0, QUIET));
        // no faster than the loop, but the known-good sum was only a little faster either
        assertEquals(ParallelSumTests.Timing.Verdict.UNCLEAR, of(10, 8, 10.5, 0.0, QUIET));
    }

    @Test
    void aBusyMachineJudgesNoWallTime() {
        assertEquals(ParallelSumTests.Timing.Verdict.UNCLEAR, of(10, 9, 12, 0.0, QUIET));
    }

    @Test
    void moreBusyThreadsThanCoresShowAsTimeSpentWaitingForACore() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/pressure/cpu")),
                "this kernel has no /proc/pressure/cpu");
        try (Spinners spinners = new Spinners()) {
            CpuPressure meter = new CpuPressure();
            meter.start();
            Thread.sleep(500);
            meter.stop();
            double waited = meter.waitedShare();
            assertTrue(waited > 0.5, "with " + spinners.count() + " spinning threads, some task waited for a core "
                    + Math.round(100 * waited) + "% of the time");
        }
    }
}
