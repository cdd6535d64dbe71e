package org.threadlab.grading;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.threadlab.grading.exercises.BoxOffice;
import org.threadlab.lesson.GuardedBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** find-the-bug (lecture 19) tells right from wrong: the fix gets every point, the given code and a leaked list lose theirs. */
class FindTheBugExerciseTest {
    @BeforeAll
    static void compileHidden() throws Exception {
        GradingTest.compileHidden();
    }

    /** The given code: each access under the lock, but the check and the act in two separate holds. */
    static final class GivenOffice implements BoxOffice {
        private final int seats;
        private volatile boolean open = true;
        @GuardedBy("this") private int left;
        @GuardedBy("this") private final List<String> buyers = new ArrayList<>();
        GivenOffice(int seats) { this.seats = seats; this.left = seats; }
        public int seats() { return seats; }
        public void close() { open = false; }
        public synchronized int left() { return left; }
        public synchronized List<String> buyers() { return List.copyOf(buyers); }
        public boolean buy(String who) {
            if (!open || left() == 0) return false;
            synchronized (this) { left--; buyers.add(who); }
            return true;
        }
    }

    /** buy fixed, but buyers() hands out a view of the guarded list. */
    static final class ViewOffice implements BoxOffice {
        private int left;
        private final int seats;
        private final List<String> buyers = new ArrayList<>();
        ViewOffice(int seats) { this.seats = seats; this.left = seats; }
        public int seats() { return seats; }
        public void close() { }
        public synchronized int left() { return left; }
        public synchronized List<String> buyers() { return Collections.unmodifiableList(buyers); }
        public synchronized boolean buy(String who) {
            if (left == 0) return false;
            left--;
            buyers.add(who);
            return true;
        }
    }

    @Test
    void theGivenCodeSellsTheLastSeatTwiceUnderTheEngine() {
        Map<String, TestRunner.Result> m = GradingTest.gradeOnly(Exercises.FIND_THE_BUG, GivenOffice::new,
                "one thread: each seat sold once, then refused; close() stops the sales",
                "two buyers for the last seat: exactly one gets it, under every schedule the engine tries");
        // on one thread the given code is right: only the interleaving shows the check-then-act
        assertTrue(m.get("one thread: each seat sold once, then refused; close() stops the sales").passed());
        TestRunner.Result last = m.get("two buyers for the last seat: exactly one gets it, under every schedule the engine tries");
        assertFalse(last.passed(), "the check-then-act passed the last-seat test");
        assertTrue(last.message().contains("the result is wrong"), last.message());
        assertTrue(last.message().contains("Replay it in your notebook: interleave(() -> new Sale(GivenOffice::new, 1), Sale::buyA, "
                + "Sale::buyB).firstFailure(s -> s.ok())"), last.message());
    }

    @Test
    void aViewOfTheGuardedListIsCaughtOnOneThread() {
        // only this test: it needs no engine, a view fails it on one thread
        String name = "buyers() is a copy: later sales do not change it, changing it changes nothing";
        TestRunner.Result copy = GradingTest.gradeOnly(Exercises.FIND_THE_BUG, ViewOffice::new, name).get(name);
        assertFalse(copy.passed(), "a view of the guarded list passed as a copy");
        assertTrue(copy.message().contains("Return a copy"), copy.message());
    }
}
