package org.threadlab.interleave;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When Lincheck finds a failure but cannot print it, the engine still says what it found. */
class UnreportedFailureTest {

    @Test
    void aRunThatNeverReachedItsOutcomeIsADeadlock() {
        Engine.Shared shared = new Engine.Shared();
        Engine.Found f = Engine.unreported(shared);
        assertEquals("deadlock", f.kind());
        assertTrue(f.trace().steps().isEmpty());
        assertTrue(f.trace().title().contains("could not print"), f.trace().title());
    }

    @Test
    void aRunThatEndedInOurAssertionKeepsItsOutcome() {
        Engine.Shared shared = new Engine.Shared();
        shared.outcome = "count=1";
        shared.error = Engine.BROKEN + "count=1";
        Engine.Found f = Engine.unreported(shared);
        assertEquals("invariant broken", f.kind());
        assertEquals("count=1", f.outcome());
    }

    @Test
    void onlyLincheckReporterErrorsAreRetried() {
        IllegalStateException fromReporter = new IllegalStateException("GPMC trace is expected");
        fromReporter.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("org.jetbrains.kotlinx.lincheck.trace.UtilsKt", "removeGPMCLambda", "Utils.kt", 213),
                new StackTraceElement("org.jetbrains.kotlinx.lincheck.ReporterKt", "preprocessTrace", "Reporter.kt", 815)});
        assertTrue(Engine.fromLincheckReporter(fromReporter));
        assertFalse(Engine.fromLincheckReporter(new IllegalStateException("a bug of the user's setup")));
    }

    @Test
    void aSetupThatThrowsIsNamedNotTakenForAHang() {
        Engine.Shared shared = new Engine.Shared();
        IllegalStateException boom = new IllegalStateException("no such account");
        try {
            Engine.judged(shared, "the setup threw ", () -> { throw boom; });
        } catch (IllegalStateException e) {
            // recorded, then passed on to Lincheck
        }
        Engine.Found f = Engine.unreported(shared);
        assertEquals("exception", f.kind());
        assertTrue(f.message().contains("the setup threw java.lang.IllegalStateException: no such account"), f.message());
    }
}
