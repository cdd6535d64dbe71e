package org.threadlab.grading.exercises;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WallTimeTest {
    @Test
    void aRunUnderTheBoundPassesHoweverBusyTheMachine() {
        WallTime clock = WallTime.start();
        clock.assertUnder(60_000, ms -> "not expected");
    }

    @Test
    void aSlowRunWhileOtherThreadsWaitedForACoreIsNotJudged() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/pressure/cpu")), "this kernel has no /proc/pressure/cpu");
        // more spinning threads than cores: some always wait, so the slowness cannot be blamed on the code timed
        try (Spinners spinners = new Spinners()) {
            WallTime clock = WallTime.start();
            Thread.sleep(300);
            TestAbortedException e = assertThrows(TestAbortedException.class,
                    () -> clock.assertUnder(100, ms -> "a quiet machine would fail this"));
            assertTrue(e.getMessage().contains("waited for a free core"), e.getMessage());
        }
    }

    @Test
    void onlyAQuietMachineBlamesTheCode() {
        assertTrue(WallTime.blamesTheCode(0.0));
        assertTrue(WallTime.blamesTheCode(0.08));
        assertFalse(WallTime.blamesTheCode(0.5), "half the time some thread waited for a core");
        assertFalse(WallTime.blamesTheCode(Double.NaN), "a kernel without pressure information cannot tell");
    }
}
