package org.threadlab.grading.hidden;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.HiddenTests;
import org.threadlab.grading.Points;
import org.threadlab.grading.exercises.GilAndIoTests;
import org.threadlab.grading.exercises.GilJobs;
import org.threadlab.time.Gil;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hidden tests of gil-and-io. */
@HiddenTests("gil-and-io")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class GilAndIoHiddenTests {
    private final GilJobs jobs = Exercises.GIL_AND_IO.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(10)
    @DisplayName("no jobs: returns at once")
    void none() throws Exception {
        jobs.runAll(new Gil(), List.of());
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(30)
    @DisplayName("40 jobs: all done, computing never outside the GIL, downloads overlapping")
    void many() throws Exception {
        Gil gil = new Gil();
        var r = new GilAndIoTests.Recorder();
        var clock = org.threadlab.grading.exercises.WallTime.start();
        jobs.runAll(gil, r.jobs(gil, 40, 150, 2));
        assertEquals(40, r.done.get());
        assertEquals(0, r.computesWithoutGil.get());
        assertEquals(0, r.downloadsHoldingGil.get());
        assertEquals(1, gil.stats().maxInside(), "never more than one thread inside the GIL");
        clock.assertUnder(3000, r.mostDownloadsAtOnce.get() <= 1, ms -> "40 overlapping downloads of 150 ms took " + ms + " ms");
    }
}
