package org.threadlab.grading.exercises;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The speed test's rule for one attempt, on the figures a machine gives (ms, and the caller's CPU share of a plain loop). */
class ParallelSumVerdictTest {
    private static ParallelSumTests.Timing.Verdict of(double seq, double ref, double stu, double callerShare) {
        return new ParallelSumTests.Timing(seq, ref, stu, callerShare).verdict();
    }

    @Test
    void aSumAboutAsFastAsTheKnownGoodOnePasses() {
        assertEquals(ParallelSumTests.Timing.Verdict.PASS, of(10, 6, 6.5, 0.0));
    }

    @Test
    void aSumTheCallerComputesAloneFailsWhateverTheClockSays() {
        // CPU time: a plain loop on the calling thread keeps all of the work there
        assertEquals(ParallelSumTests.Timing.Verdict.FAIL, of(10, 6, 10.2, 1.0));
        assertEquals(ParallelSumTests.Timing.Verdict.FAIL, of(10, 6, 7.0, 0.95));
    }

    @Test
    void aSumNoFasterThanThePlainLoopFailsWhenTheKnownGoodOneWasClearlyFaster() {
        // threads started and joined one at a time: the caller only waits, yet nothing overlaps
        assertEquals(ParallelSumTests.Timing.Verdict.FAIL, of(10, 6, 10.5, 0.0));
    }

    @Test
    void aResultBetweenAPassAndAPlainFailIsLeftUnjudged() {
        // slower than half the reference's gain, but faster than the loop: a burst of load can do that (the
        // pool-of-futures right answer was failed so at a load average of 10 before this rule)
        assertEquals(ParallelSumTests.Timing.Verdict.UNCLEAR, of(10, 6, 8.6, 0.0));
        // no faster than the loop, but the known-good sum was only a little faster either
        assertEquals(ParallelSumTests.Timing.Verdict.UNCLEAR, of(10, 8, 10.5, 0.0));
    }

    @Test
    void aBusyMachineJudgesNothing() {
        assertEquals(ParallelSumTests.Timing.Verdict.UNCLEAR, of(10, 9, 12, 1.0));
    }
}
