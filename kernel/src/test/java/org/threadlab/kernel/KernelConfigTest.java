package org.threadlab.kernel;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernelspec's THREADLAB_* settings, read as the kernel reads them at start. */
class KernelConfigTest {

    @Test
    void startTimeoutIsTwentySecondsUnlessTheEnvironmentSaysOtherwise() {
        assertEquals(20_000, KernelConfig.fromEnvironment(Map.of()).startTimeoutMs());
        KernelConfig c = KernelConfig.fromEnvironment(Map.of("THREADLAB_START_TIMEOUT", " 120 "));
        assertEquals(120_000, c.startTimeoutMs());
        assertEquals(120_000, c.executionOptions().startTimeoutMs(), "the execution JVM's launcher is given it");
    }

    @Test
    void aStartTimeoutThatIsNotAPositiveNumberOfSecondsIsRefusedWithItsName() {
        var zero = assertThrows(IllegalArgumentException.class, () -> KernelConfig.fromEnvironment(Map.of("THREADLAB_START_TIMEOUT", "0")));
        assertTrue(zero.getMessage().contains("THREADLAB_START_TIMEOUT"), zero.getMessage());
        var words = assertThrows(IllegalArgumentException.class, () -> KernelConfig.fromEnvironment(Map.of("THREADLAB_START_TIMEOUT", "2m")));
        assertTrue(words.getMessage().contains("THREADLAB_"), words.getMessage());
    }
}
