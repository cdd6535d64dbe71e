package org.threadlab.grading;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.threadlab.display.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The graded tests must tell right from wrong every time: solutions get every point, racy and
 * deadlocking versions lose the concurrency points on every repetition, and nothing hangs.
 */
class GradingTest {
    static List<Class<?>> hidden;

    @BeforeAll
    static void compileHidden() throws Exception {
        Path src = Path.of("../grading/hidden/src");
        Path out = Files.createTempDirectory("hidden-tests");
        List<String> names = Grader.compile(src, out);
        var loader = new java.net.URLClassLoader(new java.net.URL[]{out.toUri().toURL()}, GradingTest.class.getClassLoader());
        hidden = new ArrayList<>();
        for (String n : names) hidden.add(Class.forName(n, false, loader));
    }

    static List<Class<?>> hiddenOf(String exercise) {
        return hidden.stream().filter(c -> c.getAnnotation(HiddenTests.class).value().equals(exercise)).toList();
    }

    /** test name -> result, visible then hidden. */
    static <S> Map<String, TestRunner.Result> grade(Exercise<S> ex, S subject) {
        ex.use(subject);
        Map<String, TestRunner.Result> m = new TreeMap<>();
        for (TestRunner.Result r : TestRunner.run(ex.visibleTests(), "visible", 0, null)) m.put(r.test(), r);
        for (TestRunner.Result r : TestRunner.run(hiddenOf(ex.name()), "hidden", 0, null)) m.put(r.test(), r);
        return m;
    }

    /**
     * test name -> result of just the tests named (visible and hidden): a unit test about a few
     * tests need not pay for the rest (an engine search, a hang waited out); fails on an unknown name.
     */
    static <S> Map<String, TestRunner.Result> gradeOnly(Exercise<S> ex, S subject, String... names) {
        ex.use(subject);
        java.util.Set<String> wanted = new java.util.HashSet<>(List.of(names));
        Map<String, TestRunner.Result> m = new TreeMap<>();
        for (String visibility : List.of("visible", "hidden")) {
            List<Class<?>> classes = visibility.equals("visible") ? ex.visibleTests() : hiddenOf(ex.name());
            for (TestRunner.Planned p : TestRunner.plan(classes)) {
                if (wanted.contains(p.name())) m.put(p.name(), TestRunner.runOne(p, visibility, p.timeoutMs()));
            }
        }
        assertTrue(m.keySet().containsAll(wanted), "no test called " + wanted + " in " + ex.name() + " (ran " + m.keySet() + ")");
        return m;
    }

    static void allPass(Map<String, TestRunner.Result> m) {
        // a timing test this (busy) machine could not judge scores 0 and says so; everything else must pass
        for (TestRunner.Result r : m.values()) {
            assertTrue(r.passed() || (r.unjudged() && r.score() == 0 && r.message().startsWith(TestRunner.UNJUDGED)),
                    r.test() + ": " + r.message());
        }
    }

    /** Tests that judge nothing: an assumption, a thrown TestAbortedException, a disabled test. */
    public static class Unjudging {
        @org.junit.jupiter.api.Test
        @Points(3)
        void assumptionFails() {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "one core");
        }

        @org.junit.jupiter.api.Test
        @Points(4)
        void throwsAborted() {
            throw new org.opentest4j.TestAbortedException("machine too busy");
        }

        @org.junit.jupiter.api.Test
        @org.junit.jupiter.api.Disabled("not today")
        @Points(5)
        void disabled() {
        }
    }

    @Test
    void skippedOrAbortedTestsNeverAwardPoints() {
        List<TestRunner.Result> rs = TestRunner.run(List.of(Unjudging.class), "visible", 0, null);
        assertEquals(3, rs.size(), rs.toString());
        for (TestRunner.Result r : rs) {
            assertEquals(0, r.score(), r.toString());
            assertFalse(r.passed(), r.toString());
            assertTrue(r.unjudged(), r.toString());
            assertTrue(r.message().startsWith(TestRunner.UNJUDGED), r.message());
        }
        Table t = Check.table("unjudging", rs);
        assertTrue(t.toString().contains("0 of 12 points"), t.toString());
        assertTrue(t.toString().contains("NOT JUDGED"), t.toString());
    }

    @Test
    void unsynchronizedAccountFailsEveryRunWithTheInterleaving() {
        // the engine switches threads between deposit's read and write itself: every run catches it,
        // whatever the machine's load, and says how to see it again
        for (int run = 0; run < 3; run++) {
            Map<String, TestRunner.Result> m = gradeOnly(Exercises.BANK_ACCOUNT, Impls.RacyAccount::new,
                    "deposit, withdraw, transfer on one thread", "concurrent deposits are never lost", ENGINE_OPPOSITE);
            assertTrue(m.get("deposit, withdraw, transfer on one thread").passed());
            TestRunner.Result deposits = m.get("concurrent deposits are never lost");
            assertFalse(deposits.passed(), "run " + run + ": lost deposits not caught");
            assertTrue(deposits.message().contains("the result is wrong"), deposits.message());
            assertTrue(deposits.message().contains("Replay it in your notebook: interleave(() -> new Scenarios.Transfers(RacyAccount::new), "
                    + "Scenarios.Transfers::depositA, Scenarios.Transfers::depositA).firstFailure(s -> s.a.balance() == 120)"), deposits.message());
            assertTrue(deposits.message().contains("step thr  action"), "the interleaving as a table: " + deposits.message());
            assertFalse(m.get(ENGINE_OPPOSITE).passed());
        }
    }

    @Test
    void deadlockIsNamedAndDoesNotHang() {
        // real threads: the account itself makes the two opposite transfers meet while each holds its first
        // lock (a barrier between the two locks), so the deadlock happens on every run, not when lucky
        TestRunner.Result opposite = gradeOnly(Exercises.BANK_ACCOUNT, Impls.MeetingDeadlockingAccount::new, REAL_OPPOSITE).get(REAL_OPPOSITE);
        assertFalse(opposite.passed());
        assertTrue(opposite.message().contains("DEADLOCK"), opposite.message());
        // and under the engine, with no help from the account
        TestRunner.Result engine = gradeOnly(Exercises.BANK_ACCOUNT, Impls.DeadlockingAccount::new, ENGINE_OPPOSITE).get(ENGINE_OPPOSITE);
        assertFalse(engine.passed());
        assertTrue(engine.message().contains("DEADLOCK"), engine.message());
    }

    static final String REAL_OPPOSITE = "opposite transfers between two accounts do not deadlock";
    static final String ENGINE_OPPOSITE = "opposite transfers: no deadlock, no money lost, under every schedule the engine tries";

    @Test
    void sequentialSumIsNotFaster() {
        Exercises.PARALLEL_SUM.use(Impls.SEQUENTIAL_SUM);
        List<TestRunner.Result> rs = TestRunner.run(Exercises.PARALLEL_SUM.visibleTests(), "visible", 0, null);
        TestRunner.Result work = rs.get(2);
        // judged on any machine: the caller did all the work itself
        assertFalse(work.passed(), work.message());
        assertFalse(work.unjudged(), work.message());
        assertTrue(work.message().contains("the calling thread itself used"), work.message());
        TestRunner.Result speed = rs.get(3);
        // a sequential sum never passes: it fails, or (1 core, busy machine) is not judged, with 0 points and a reason
        assertFalse(speed.passed(), speed.message());
        assertEquals(0, speed.score());
        if (speed.unjudged()) {
            assertTrue(speed.message().startsWith(TestRunner.UNJUDGED), speed.message());
        } else {
            assertTrue(speed.message().contains("not parallel enough"), speed.message());
        }
    }

    @Test
    void endlessLoopTimesOutWithWhere() {
        Exercises.PARALLEL_SUM.use(Impls.LOOPING_SUM);
        List<TestRunner.Result> rs;
        try {
            rs = TestRunner.run(Exercises.PARALLEL_SUM.visibleTests(), "visible", 1000, null);
        } finally {
            Impls.releaseLoops = true;
        }
        // each test says its own limit stopped it: the run returned because of the limits, not by luck
        for (TestRunner.Result r : rs) {
            assertFalse(r.passed());
            assertTrue(r.message().startsWith("did not finish within 1 s"), r.message());
        }
    }

    @Test
    void stubFailsWithItsOwnMessage() {
        Table t = Check.run(Exercises.BANK_ACCOUNT, Impls.StubAccount::new);
        assertEquals(Exercises.BANK_ACCOUNT.visibleTests().isEmpty() ? 0 : TestRunner.plan(Exercises.BANK_ACCOUNT.visibleTests()).size(), t.size());
        for (List<String> row : t.rows()) {
            assertEquals("FAIL", row.get(2));
            assertTrue(row.get(3).contains("UnsupportedOperationException: exercise bank-account: not done yet"), row.get(3));
        }
        assertTrue(t.title().startsWith("bank-account: 0 of 5 points"), t.title());
    }

    @Test
    void programCarriesCellsWithNewlinesIntact() {
        String src = "class A {\n  int f() { return 1; }\n}";
        Grader.Program p = Grader.Program.parse("nonce abc\ncell-timeout-ms 500\nskip bank-account/visible/x y\nexercise bank-account\n"
                + "cell solution " + src.length() + " bank-account-code\n" + src + "\ncell grade 3 bank-account\nx()\n");
        assertEquals("abc", p.nonce());
        assertEquals(500, p.cellTimeoutMs());
        assertTrue(p.skip().contains("bank-account/visible/x y"));
        assertEquals(List.of("bank-account"), p.exercises());
        assertEquals(2, p.cells().size());
        assertEquals(src, p.cells().get(0).source());
        assertEquals("bank-account-code", p.cells().get(0).id());
        assertEquals("x()", p.cells().get(1).source());
    }

    @Test
    void messagesHideJShellNames() {
        assertEquals("BankAccount cannot be cast", TestRunner.cleanNames("REPL.$JShell$12$BankAccount cannot be cast"));
        assertEquals("\"a\\nb\\u0001\"", Json.str("a\nb\u0001"));
    }
}
