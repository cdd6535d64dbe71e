package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;
import org.threadlab.interleave.Interleaving;
import org.threadlab.interleave.Run;

import static org.junit.jupiter.api.Assertions.fail;

/** Visible tests of race-schedules: each schedule is replayed and must reach its outcome. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class RaceSchedulesTests {
    private final RaceSchedules answers = Exercises.RACE_SCHEDULES.subject();

    static Interleaving<RaceCases.Counter> counters(int threads) {
        return threads == 2 ? Interleaving.of(RaceCases.Counter::new, RaceCases.Counter::inc, RaceCases.Counter::inc)
                : Interleaving.of(RaceCases.Counter::new, RaceCases.Counter::inc, RaceCases.Counter::inc, RaceCases.Counter::inc);
    }

    static Interleaving<RaceCases.Wallet> wallets() {
        return Interleaving.of(RaceCases.Wallet::new, RaceCases.Wallet::pay80, RaceCases.Wallet::pay80);
    }

    /** Replays {@code schedule} and fails, with the run as a table, unless it ends in {@code want}. */
    static void reaches(String what, String call, Interleaving<?> threads, String schedule, String want) {
        if (schedule == null || schedule.isBlank()) fail(what + ": no schedule given (a string of thread letters such as \"ABAB\")");
        if (!schedule.matches("[A-Z]+")) fail(what + ": \"" + schedule + "\" is not a schedule: use only the threads' letters, e.g. \"ABAB\"");
        Run r = threads.schedule(schedule);
        if (!r.problems().isEmpty()) {
            fail(what + ": schedule(\"" + schedule + "\") could not run as written: " + String.join("; ", r.problems())
                    + ". A letter runs that thread up to its next step(), and a finished thread cannot run again.\n" + r);
        }
        if (!r.outcome().equals(want)) {
            fail(what + ": schedule(\"" + schedule + "\") ends with " + r.outcome() + ", not " + want
                    + ". Replay it in your notebook: " + call + ".schedule(\"" + schedule + "\")\n" + r);
        }
    }

    @Test
    @Order(1)
    @Points(2)
    @Timeout(10)
    @DisplayName("a lost update: two increments leave n=1")
    void lostUpdate() {
        reaches("lostUpdate()", "interleave(RaceCases.Counter::new, RaceCases.Counter::inc, RaceCases.Counter::inc)",
                counters(2), answers.lostUpdate(), "n=1");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(10)
    @DisplayName("check-then-act: two payments of 80 from 100 leave -60")
    void overdraft() {
        reaches("overdraft()", "interleave(RaceCases.Wallet::new, RaceCases.Wallet::pay80, RaceCases.Wallet::pay80)",
                wallets(), answers.overdraft(), "balance=-60");
    }
}
