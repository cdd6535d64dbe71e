package org.threadlab.lesson;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LessonHelpersTest {

    /** Runs {@code body} with System.out captured; returns what it printed. */
    private static String printed(Runnable body) {
        PrintStream old = System.out;
        var buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(old);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void blankAnswerSaysNotAnsweredAndHidesTheExplanation() {
        String out = printed(() -> assertFalse(Quiz.question(1, null, 1, "SECRET EXPLANATION")));
        assertTrue(out.contains("question 1: not answered yet"), out);
        assertFalse(out.contains("SECRET"), out);
    }

    @Test
    void rightAnswerPrintsTheExplanationAfterTheVerdict() {
        String out = printed(() -> assertTrue(Quiz.question(2, 1L, 1, "because")));
        assertEquals("question 2: right. because", out.strip());
    }

    @Test
    void wrongAnswerNamesTheRightOneAndExplains() {
        String out = printed(() -> assertFalse(Quiz.question(3, "exactly 1", "more than 1", "because")));
        assertTrue(out.contains("not quite: the answer is \"more than 1\". because"), out);
    }

    @Test
    void rangeQuestionCallsItsTestOnlyForAGivenAnswer() {
        String blank = printed(() -> assertFalse(Quiz.question(2, (Integer) null, a -> { throw new AssertionError("called"); }, "why")));
        assertTrue(blank.contains("not answered yet") && !blank.contains("why"), blank);
        String near = printed(() -> assertTrue(Quiz.question(2, 420, a -> Math.abs(a - 400) <= 50, "why")));
        assertEquals("question 2: right. why", near.strip());
        printed(() -> assertFalse(Quiz.question(2, 600, a -> Math.abs(a - 400) <= 50, "why")));
    }

    @Test
    void answersCompareNumbersByValueTextLooselyAndListsElementwise() {
        assertTrue(Quiz.same(1, 1.0));
        assertTrue(Quiz.same(" More  than 1 ", "more than 1"));
        assertTrue(Quiz.same(List.of("JVM ", 2), List.of("jvm", 2L)));
        assertFalse(Quiz.same(List.of("a", "b"), List.of("b", "a")));
        assertFalse(Quiz.same(true, false));
        assertFalse(Quiz.same(2, 2.5));
    }

    @Test
    void numericPredictionIsCloseOnlyWithinTheFactorAndSaysSo() {
        String close = printed(() -> assertTrue(Quiz.prediction(1.8, 2.0, 1.25, "why")));
        assertTrue(close.contains("within 1.25x") && close.contains("close. why"), close);
        String far = printed(() -> assertFalse(Quiz.prediction(4, 2.0, 1.25, "why")));
        assertTrue(far.contains("not close"), far);
        String blank = printed(() -> assertFalse(Quiz.prediction((Number) null, 2.0, 1.25, "why")));
        assertTrue(blank.contains("not answered yet") && !blank.contains("why"), blank);
        assertThrows(IllegalArgumentException.class, () -> Quiz.prediction(1, 1, 0.5, "why"));
    }

    @Test
    void choicePredictionComparesWithTheComputedOutcome() {
        String out = printed(() -> assertFalse(Quiz.prediction("threads", "processes", "why")));
        assertTrue(out.contains("you predicted \"threads\"; this run gave \"processes\": not what you predicted"), out);
    }

    @Test
    void fasterPicksTheSmallerTimeOrAboutTheSameWithinTheThreshold() {
        String out = printed(() -> assertEquals("ReentrantLock", Verdict.faster("synchronized", 47.8, "ReentrantLock", 12.6, 1.25)));
        assertTrue(out.contains("3.79x as long") && out.contains("within 1.25x"), out);
        printed(() -> assertEquals("about the same", Verdict.faster("a", 10, "b", 11, 1.25)));
        printed(() -> assertEquals("a", Verdict.faster("a", 10, "b", 13, 1.25)));
    }

    @Test
    void aboutStatesHowFarOffAndTheTolerance() {
        String out = printed(() -> assertFalse(Verdict.about("speed-up", 0.8, 1.0, 0.15)));
        assertTrue(out.contains("within 15 %") && out.contains("no, 20 % off"), out);
        printed(() -> assertTrue(Verdict.about("speed-up", 1.9, 2.0, 0.15)));
        printed(() -> assertTrue(Verdict.atLeast("x", 1.5, 1.5)));
        String most = printed(() -> assertFalse(Verdict.atMost("x", 1.2, 1.05)));
        assertTrue(most.contains("at most 1.05 counts): no"), most);
    }

    @Test
    void rankingOrdersByValueAndJoinsTies() {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("process", 900.0);
        v.put("thread", 50.0);
        v.put("virtual", 48.0);
        String out = printed(() -> assertEquals("virtual ≈ thread < process", Verdict.ranking(v, 1.2)));
        assertTrue(out.contains("within 1.20x"), out);
    }

    @Test
    void sizesShrinkUnderTheCiProfileAndFollowTheScaleOverride() {
        assertEquals(1.0, Sizes.factor(null, null));
        assertEquals(1.0, Sizes.factor(null, "class"));
        assertEquals(Sizes.CI_FACTOR, Sizes.factor("", "ci"));
        assertEquals(0.5, Sizes.factor("0.5", "ci"));
        assertEquals(10_000_000, Sizes.scale(100_000_000, 0.1));
        assertEquals(1_500, Sizes.scale(15_000, 0.1));
        assertEquals(1, Sizes.scale(5, 0.1));
        assertEquals(12, Sizes.scale(123, 0.1));
        assertEquals(123, Sizes.scale(123, 1));
    }

    @Test
    void badScaleIsReportedAndIgnored() {
        PrintStream old = System.err;
        var buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertEquals(1.0, Sizes.factor("fast", "ci"));
        } finally {
            System.setErr(old);
        }
        assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("THREADLAB_SCALE=fast"));
    }

    @Test
    void loadLineNamesTheCores() {
        String line = Sizes.loadLine();
        assertTrue(line.contains(Runtime.getRuntime().availableProcessors() + " cores"), line);
        if (Sizes.linux()) assertTrue(Sizes.loadAverage() >= 0);
    }

    @Test
    void javaProgramCompilesStartsAndRuns() throws Exception {
        var p = JavaProgram.compile("""
                public class Echo {
                    public static void main(String[] args) throws Exception {
                        System.out.println("ready " + args[0]);
                        if (args.length > 1) Thread.sleep(60_000);
                    }
                }
                """);
        assertEquals("Echo", p.name());
        var r = p.run("hello");
        assertEquals(0, r.exitCode());
        assertEquals("ready hello", r.stdout().strip());
        Process waiting = p.startReady("x", "wait");
        try {
            assertTrue(waiting.isAlive());
        } finally {
            waiting.destroyForcibly();
            assertTrue(waiting.waitFor(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void javaProgramCanCallTheHelperLibrarySoParentAndChildCountAlike() {
        var p = JavaProgram.compile("""
                public class CountIt {
                    public static void main(String[] args) {
                        System.out.println(org.threadlab.run.Tasks.countTo(Long.parseLong(args[0])));
                    }
                }
                """);
        assertEquals(String.valueOf(org.threadlab.run.Tasks.countTo(12_345)), p.run("12345").stdout().strip());
    }

    @Test
    void javaProgramThatDoesNotCompileSaysWhy() {
        var e = assertThrows(IllegalArgumentException.class, () -> JavaProgram.compile("public class Bad { void f() { int x = ; } }"));
        assertTrue(e.getMessage().contains("does not compile"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JavaProgram.compile("class NoPublic {}"));
    }

    @Test
    void hasCommandFindsExecutablesOnThePath() {
        assertFalse(Sizes.hasCommand("no-such-command-threadlab"));
        if (Sizes.linux()) assertTrue(Sizes.hasCommand("sh"));
    }

    @Test
    void togetherReleasesEveryThreadBeforeAnyFinishes() throws Exception {
        var arrived = new java.util.concurrent.atomic.AtomicInteger();
        var sawAll = new java.util.concurrent.atomic.AtomicInteger();
        // each thread counts itself in, then waits (up to 5 s) to see all three: only threads that overlap see 3
        Together.run(3, "t", i -> {
            arrived.incrementAndGet();
            long end = System.nanoTime() + 5_000_000_000L;
            while (arrived.get() < 3 && System.nanoTime() < end) Thread.onSpinWait();
            if (arrived.get() == 3) sawAll.incrementAndGet();
        });
        assertEquals(3, sawAll.get());
    }

    @Test
    void togetherRethrowsWhatAThreadThrew() {
        var e = assertThrows(IllegalStateException.class, () -> Together.run(2, "t", i -> { if (i == 1) throw new IllegalStateException("boom"); }));
        assertEquals("boom", e.getMessage());
    }

    @Test
    void chanceCountsTheRunsWhereTheBugShowed() {
        int[] n = {0};
        String out = printed(() -> {
            try {
                Chance c = Chance.count("odd run", 6, () -> n[0]++ % 2 == 1);
                assertEquals(6, c.runs());
                assertEquals(3, c.hits());
                assertEquals("sometimes", c.verdict());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(out.contains("odd run: in 3 of 6 runs (50 %)"), out);
        String never = printed(() -> {
            try {
                assertEquals("never", Chance.count("never", 2, () -> false).verdict());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(never.contains("0 runs of 2") && never.contains("proves nothing"), never);
    }

    @Test
    void evenSharesUsesItsThresholdAroundTheFairShare() {
        String out = printed(() -> assertTrue(Verdict.evenShares("fair", new long[] {250, 240, 260, 250}, 0.2)));
        assertTrue(out.contains("shares from 24 % to 26 %") && out.contains("fair share 25 %") && out.strip().endsWith(": even"), out);
        printed(() -> assertFalse(Verdict.evenShares("unfair", new long[] {400, 200, 200, 200}, 0.2)));
        printed(() -> assertFalse(Verdict.evenShares("nothing", new long[] {0, 0}, 0.2)));
    }

    @Test
    void predictedOutcomesCompareAsSets() {
        String right = printed(() -> assertTrue(Quiz.outcomes(List.of("n=2", " N=1"), List.of("n=1", "n=2"), "why")));
        assertTrue(right.contains("exactly those. why"), right);
        String wrong = printed(() -> assertFalse(Quiz.outcomes(List.of("n=2", "n=0"), List.of("n=1", "n=2"), "why")));
        assertTrue(wrong.contains("you missed [n=1]") && wrong.contains("never reached: [n=0]"), wrong);
        String blank = printed(() -> assertFalse(Quiz.outcomes(null, List.of("n=1"), "SECRET")));
        assertTrue(blank.contains("not answered yet") && !blank.contains("SECRET"), blank);
    }
}
