package org.threadlab.grading;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.threadlab.grading.exercises.SpeedupModel;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * predict-speedup tells right from wrong on the model alone: a right model gets every point, each
 * classic mistake loses the tests about it (and only the model's tests decide: nothing is timed).
 */
class PredictSpeedupExerciseTest {
    @BeforeAll
    static void compileHidden() throws Exception {
        GradingTest.compileHidden();
    }

    enum Mistake { NONE, IGNORES_CORES, SERIAL_IN_PARALLEL, NO_START_COST, GUSTAFSON_AS_AMDAHL, NO_CLAMP }

    /** The model, or the model with one mistake. */
    record Model(Mistake mistake) implements SpeedupModel {
        static void check(double... times) {
            for (double t : times) if (!(t >= 0)) throw new IllegalArgumentException("times are 0 or more, not " + t);
        }

        int used(int threads, int cores) {
            if (threads < 1 || cores < 1) throw new IllegalArgumentException("threads and cores are 1 or more");
            return mistake == Mistake.IGNORES_CORES ? threads : Math.min(threads, cores);
        }

        double start(int threads, double start) {
            return mistake == Mistake.NO_START_COST ? 0 : threads * start;
        }

        public double time(double serial, double parallel, int threads, int cores, double start) {
            check(serial, parallel, start);
            int used = used(threads, cores);
            if (mistake == Mistake.SERIAL_IN_PARALLEL) return start(threads, start) + (serial + parallel) / used;
            return start(threads, start) + serial + parallel / used;
        }

        public double speedup(double serial, double parallel, int threads, int cores, double start) {
            return time(serial, parallel, 1, cores, start) / time(serial, parallel, threads, cores, start);
        }

        public double scaledSpeedup(double serial, double parallel, int threads, int cores, double start) {
            if (mistake == Mistake.GUSTAFSON_AS_AMDAHL) return speedup(serial, parallel, threads, cores, start);
            check(serial, parallel, start);
            return time(serial, threads * parallel, 1, cores, start) / time(serial, threads * parallel, threads, cores, start);
        }

        public double serialFraction(double one, double seconds, int threads) {
            if (threads < 2 || !(one > 0) || !(seconds > 0)) throw new IllegalArgumentException("two threads or more, times above 0");
            double f = (seconds / one - 1.0 / threads) / (1 - 1.0 / threads);
            return mistake == Mistake.NO_CLAMP ? f : Math.max(0, Math.min(1, f));
        }
    }

    static Set<String> failed(SpeedupModel m) {
        Map<String, TestRunner.Result> rs = GradingTest.grade(Exercises.PREDICT_SPEEDUP, m);
        assertEquals(10, rs.size(), rs.keySet().toString());
        Set<String> out = new TreeSet<>();
        rs.forEach((name, r) -> {
            assertTrue(!r.unjudged(), name + " is never left unjudged: it times nothing");
            if (!r.passed()) out.add(name);
        });
        return out;
    }

    @Test
    void theRightModelGetsEveryPoint() {
        GradingTest.allPass(GradingTest.grade(Exercises.PREDICT_SPEEDUP, new Model(Mistake.NONE)));
        assertEquals(Set.of(), failed(new Model(Mistake.NONE)));
    }

    @Test
    void eachMistakeLosesTheTestsAboutIt() {
        assertTrue(failed(new Model(Mistake.IGNORES_CORES)).containsAll(Set.of("no faster past the cores",
                "Gustafson on few cores, with start costs", "agrees with the model on many jobs and machines")));
        assertTrue(failed(new Model(Mistake.SERIAL_IN_PARALLEL)).containsAll(Set.of("the serial part does not shrink with threads",
                "agrees with the model on many jobs and machines")));
        assertTrue(failed(new Model(Mistake.NO_START_COST)).containsAll(Set.of("each thread costs its start",
                "one thread: its start, the serial and the parallel part add up", "Gustafson on few cores, with start costs")));
        assertTrue(failed(new Model(Mistake.GUSTAFSON_AS_AMDAHL)).containsAll(Set.of("scaled speed-up: the work grows with the threads",
                "Gustafson on few cores, with start costs")));
        assertEquals(Set.of("a serial fraction out of 0..1 is clamped"), failed(new Model(Mistake.NO_CLAMP)));
    }

    @Test
    void answersThatComputeNothingScoreNothing() {
        SpeedupModel constant = new SpeedupModel() {
            public double time(double s, double p, int t, int c, double st) { return 1; }
            public double speedup(double s, double p, int t, int c, double st) { return 1; }
            public double scaledSpeedup(double s, double p, int t, int c, double st) { return 1; }
            public double serialFraction(double o, double s, int t) { return 0; }
        };
        DoNothingTest.scoresOnly(Exercises.PREDICT_SPEEDUP, constant, "a model answering 1 (and 0) whatever the job", Set.of());
        SpeedupModel stub = new SpeedupModel() {
            public double time(double s, double p, int t, int c, double st) { throw new UnsupportedOperationException(); }
            public double speedup(double s, double p, int t, int c, double st) { throw new UnsupportedOperationException(); }
            public double scaledSpeedup(double s, double p, int t, int c, double st) { throw new UnsupportedOperationException(); }
            public double serialFraction(double o, double s, int t) { throw new UnsupportedOperationException(); }
        };
        Map<String, TestRunner.Result> rs = GradingTest.grade(Exercises.PREDICT_SPEEDUP, stub);
        assertEquals(0, rs.values().stream().mapToInt(TestRunner.Result::score).sum(), rs.toString());
    }
}
