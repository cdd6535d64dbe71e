package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;
import org.threadlab.time.Gil;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Visible tests of gil-and-io. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class GilAndIoTests {
    private final GilJobs jobs = Exercises.GIL_AND_IO.subject();

    /** Jobs that record what they saw: downloads holding the GIL, computes not holding it, jobs done. */
    public static final class Recorder {
        public final AtomicInteger done = new AtomicInteger();
        public final AtomicInteger downloadsHoldingGil = new AtomicInteger();
        public final AtomicInteger computesWithoutGil = new AtomicInteger();
        private final AtomicInteger downloading = new AtomicInteger();
        /** The most downloads that were waiting at the same moment. */
        public final AtomicInteger mostDownloadsAtOnce = new AtomicInteger();

        public List<GilJobs.Job> jobs(Gil gil, int count, long downloadMs, long computeMs) {
            List<GilJobs.Job> list = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                list.add(new GilJobs.Job(() -> {
                    if (gil.heldByCurrentThread()) downloadsHoldingGil.incrementAndGet();
                    mostDownloadsAtOnce.accumulateAndGet(downloading.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(downloadMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        downloading.decrementAndGet();
                    }
                }, () -> {
                    if (!gil.heldByCurrentThread()) computesWithoutGil.incrementAndGet();
                    long end = System.nanoTime() + computeMs * 1_000_000;
                    long x = 0;
                    while (System.nanoTime() < end) x += end ^ x;
                    if (x == 42) done.addAndGet(0);
                    done.incrementAndGet();
                }));
            }
            return list;
        }
    }

    @Test
    @Order(1)
    @Points(2)
    @Timeout(20)
    @DisplayName("every job runs, its computing under the GIL")
    void everyJobUnderTheGil() throws Exception {
        Gil gil = new Gil();
        Recorder r = new Recorder();
        jobs.runAll(gil, r.jobs(gil, 6, 20, 5));
        assertEquals(6, r.done.get(), "each of the 6 jobs should have run once, and runAll should return only after they finished");
        assertEquals(0, r.computesWithoutGil.get(), r.computesWithoutGil.get() + " computations ran without holding the GIL: "
                + "run the whole job inside gil.run(() -> ...)");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(30)
    @DisplayName("the downloads release the GIL")
    void downloadsReleaseTheGil() throws Exception {
        Gil gil = new Gil();
        Recorder r = new Recorder();
        jobs.runAll(gil, r.jobs(gil, 4, 30, 1));
        assertEquals(4, r.done.get(), "all 4 jobs should be done when runAll returns, but " + r.done.get() + " are");
        assertEquals(0, r.downloadsHoldingGil.get(), r.downloadsHoldingGil.get() + " downloads held the GIL while they waited: "
                + "wrap each download in gil.io(...)");
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(30)
    @DisplayName("8 downloads of 200 ms overlap: well under 8 x 200 ms")
    void downloadsOverlap() throws Exception {
        Gil gil = new Gil();
        Recorder r = new Recorder();
        List<GilJobs.Job> list = r.jobs(gil, 8, 200, 10);
        WallTime clock = WallTime.start();
        jobs.runAll(gil, list);
        assertEquals(8, r.done.get(), "all 8 jobs should be done when runAll returns");
        clock.assertUnder(1000, r.mostDownloadsAtOnce.get() <= 1, ms -> "8 jobs of a 200 ms download and 10 ms of computing took " + ms + " ms; with the downloads "
                + "overlapping it takes about 200 + 8 x 10 ms. Start all threads before joining any, and release the GIL in the downloads");
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(20)
    @DisplayName("no thread left running after runAll")
    void noThreadLeft() throws Exception {
        Gil gil = new Gil();
        ThreadCensus census = ThreadCensus.take();
        Recorder r = new Recorder();
        jobs.runAll(gil, r.jobs(gil, 3, 10, 1));
        assertEquals(3, r.done.get(), "all 3 jobs should be done when runAll returns, but " + r.done.get() + " are");
        assertEquals(List.of(), census.leftRunning(500), "these threads were still running after runAll returned: join them (or close the pool)");
    }
}
