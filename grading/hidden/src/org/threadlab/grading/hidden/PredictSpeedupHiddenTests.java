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
import org.threadlab.grading.exercises.SpeedupModel;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.threadlab.grading.exercises.PredictSpeedupTests.near;

/** Hidden tests of predict-speedup: the model only, no timing of this machine. */
@HiddenTests("predict-speedup")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class PredictSpeedupHiddenTests {
    private final SpeedupModel model = Exercises.PREDICT_SPEEDUP.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(5)
    @DisplayName("impossible inputs are refused")
    void refused() {
        assertThrows(IllegalArgumentException.class, () -> model.time(1, 1, 0, 2, 0), "time with 0 threads: IllegalArgumentException");
        assertThrows(IllegalArgumentException.class, () -> model.speedup(1, 1, 2, 0, 0), "speedup on 0 cores: IllegalArgumentException");
        assertThrows(IllegalArgumentException.class, () -> model.scaledSpeedup(-1, 1, 2, 2, 0),
                "scaledSpeedup with a negative serial time: IllegalArgumentException");
        assertThrows(IllegalArgumentException.class, () -> model.time(1, Double.NaN, 2, 2, 0), "time with NaN: IllegalArgumentException");
        assertThrows(IllegalArgumentException.class, () -> model.speedup(1, 1, 2, 2, -0.1), "a negative start cost: IllegalArgumentException");
        assertThrows(IllegalArgumentException.class, () -> model.serialFraction(10, 6, 1),
                "serialFraction from one thread: IllegalArgumentException (one thread tells nothing about the parallel part)");
        assertThrows(IllegalArgumentException.class, () -> model.serialFraction(0, 6, 2), "serialFraction of a 0 s run: IllegalArgumentException");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(5)
    @DisplayName("Gustafson on few cores, with start costs")
    void gustafsonAllTerms() {
        near(66.5 / 38, model.scaledSpeedup(2, 8, 8, 2, 0.5), "scaledSpeedup(2, 8, 8, 2, 0.5)",
                "one thread: 0.5 + 2 + 8 × 8 = 66.5 s; eight threads on 2 cores: 8 × 0.5 + 2 + 64 / 2 = 38 s");
        near((0.5 + 3 + 4 * 6) / (4 * 0.5 + 3 + 6), model.scaledSpeedup(3, 6, 4, 16, 0.5), "scaledSpeedup(3, 6, 4, 16, 0.5)",
                "four threads on 16 cores each run their own 6 s: 4 × 0.5 + 3 + 24 / 4 = 11 s, against 0.5 + 3 + 24 on one thread");
    }

    @Test
    @Order(3)
    @Points(1)
    @Timeout(5)
    @DisplayName("agrees with the model on many jobs and machines")
    void manyJobs() {
        SplittableRandom r = new SplittableRandom(21);
        for (int i = 0; i < 300; i++) {
            double serial = r.nextInt(0, 50) / 10.0, parallel = r.nextInt(1, 200) / 10.0, start = r.nextInt(0, 5) / 100.0;
            int threads = r.nextInt(1, 33), cores = r.nextInt(1, 17);
            int used = Math.min(threads, cores);
            double t1 = start + serial + parallel, tp = threads * start + serial + parallel / used;
            String args = "(" + serial + ", " + parallel + ", " + threads + ", " + cores + ", " + start + ")";
            near(tp, model.time(serial, parallel, threads, cores, start), "time" + args,
                    "threads × start + serial + parallel / min(threads, cores)");
            near(t1 / tp, model.speedup(serial, parallel, threads, cores, start), "speedup" + args, "time on 1 thread / time on " + threads);
            double grown = serial + threads * parallel;
            near((start + grown) / (threads * start + serial + threads * parallel / used),
                    model.scaledSpeedup(serial, parallel, threads, cores, start), "scaledSpeedup" + args,
                    "the grown job on one thread / the grown job on " + threads + " threads");
        }
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(5)
    @DisplayName("a serial fraction out of 0..1 is clamped")
    void clamped() {
        near(0, model.serialFraction(10, 2, 4), "serialFraction(10, 2, 4)",
                "four threads 5x faster is better than Amdahl allows (a lucky run, or caches): the formula gives -0.07; keep it at 0");
        near(1, model.serialFraction(10, 12, 2), "serialFraction(10, 12, 2)",
                "two threads slower than one (a disturbed run): the formula gives 1.4; keep it at 1");
        near(1, model.serialFraction(10, 10, 8), "serialFraction(10, 10, 8)", "no gain at all: the job is all serial");
    }
}
