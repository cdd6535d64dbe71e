package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Visible tests of predict-speedup. They judge the model only, on numbers given here: no point
 * depends on how fast or how busy the grading machine is.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class PredictSpeedupTests {
    private final SpeedupModel model = Exercises.PREDICT_SPEEDUP.subject();

    /** Fails with the call, the expected value, what came back and a hint, unless they agree to 1e-9 (relative). */
    public static void near(double expected, double got, String call, String hint) {
        if (Double.isNaN(got) || Math.abs(got - expected) > 1e-9 * Math.max(1, Math.abs(expected))) {
            fail(String.format(Locale.ROOT, "%s should be %.6g but was %.6g: %s", call, expected, got, hint));
        }
    }

    @Test
    @Order(1)
    @Points(1)
    @Timeout(5)
    @DisplayName("one thread: its start, the serial and the parallel part add up")
    void oneThread() {
        near(10.5, model.time(2, 8, 1, 4, 0.5), "time(2, 8, 1, 4, 0.5)",
                "one thread pays one start (0.5) and runs both parts itself (2 + 8)");
        near(1, model.speedup(2, 8, 1, 4, 0.5), "speedup(2, 8, 1, 4, 0.5)", "one thread against one thread: 1");
        near(1, model.scaledSpeedup(2, 8, 1, 4, 0.5), "scaledSpeedup(2, 8, 1, 4, 0.5)", "one thread against one thread: 1");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(5)
    @DisplayName("the serial part does not shrink with threads")
    void serialStays() {
        near(4, model.time(2, 8, 4, 8, 0), "time(2, 8, 4, 8, 0)",
                "the serial 2 s run on one thread whatever the number of threads; only the parallel 8 s are split: 2 + 8 / 4");
        near(2.5, model.speedup(2, 8, 4, 8, 0), "speedup(2, 8, 4, 8, 0)", "10 s on one thread, 4 s on four: 10 / 4");
        near(10 / (1 + 9 / 1000.0), model.speedup(1, 9, 1000, 1000, 0), "speedup(1, 9, 1000, 1000, 0)",
                "a job 10 % serial never gets 10x faster, however many threads: 10 / (1 + 9 / 1000)");
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(5)
    @DisplayName("no faster past the cores")
    void coresLimit() {
        near(4, model.time(0, 8, 8, 2, 0), "time(0, 8, 8, 2, 0)",
                "8 threads on 2 cores take turns: the parallel part runs 2 at a time, 8 / min(8, 2)");
        near(6, model.time(2, 8, 4, 2, 0), "time(2, 8, 4, 2, 0)", "2 + 8 / min(4, 2)");
        near(10 / 6.0, model.speedup(2, 8, 8, 2, 0), "speedup(2, 8, 8, 2, 0)",
                "on 2 cores, 8 threads without start costs do no better than 2: 10 / (2 + 8 / 2)");
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(5)
    @DisplayName("each thread costs its start")
    void startCosts() {
        near(4, model.time(0, 8, 4, 8, 0.5), "time(0, 8, 4, 8, 0.5)", "four starts of 0.5 s (2 s) and the parallel part 8 / 4");
        near(0.002 / (0.008 + 0.001 / 8), model.speedup(0, 0.001, 8, 8, 0.001), "speedup(0, 0.001, 8, 8, 0.001)",
                "a job smaller than a thread's start gets slower with more threads: one thread takes 0.001 + 0.001, "
                        + "eight take 8 × 0.001 + 0.001 / 8");
    }

    @Test
    @Order(5)
    @Points(2)
    @Timeout(5)
    @DisplayName("scaled speed-up: the work grows with the threads")
    void gustafson() {
        near(9.1, model.scaledSpeedup(1, 9, 10, 10, 0), "scaledSpeedup(1, 9, 10, 10, 0)",
                "ten threads do 1 + 10 × 9 = 91 s of work in 1 + 9 = 10 s: 9.1x, where Amdahl's fixed job gives about 5.3x");
        near(34 / 18.0, model.scaledSpeedup(2, 8, 4, 2, 0), "scaledSpeedup(2, 8, 4, 2, 0)",
                "four threads bring 4 × 8 s of parallel work: one thread would take 2 + 32 s, four on 2 cores take 2 + 32 / 2");
    }

    @Test
    @Order(6)
    @Points(1)
    @Timeout(5)
    @DisplayName("the serial fraction from two measured times")
    void fromMeasurements() {
        near(0.2, model.serialFraction(10, 4, 4), "serialFraction(10, 4, 4)",
                "4 threads took 0.4 of one thread's time; Amdahl says f + (1 - f) / 4 = 0.4, so f = (0.4 - 0.25) / 0.75");
        near(0.1, model.serialFraction(10, 5.5, 2), "serialFraction(10, 5.5, 2)", "(0.55 - 0.5) / (1 - 0.5)");
    }
}
