package org.threadlab.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An execution JVM that could not start is started again by the next cell, not left broken. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartAgainTest {
    @Test
    void aFailedStartIsToldWithItsRemedyAndTheNextCellStartsTheJvmAgain() throws Exception {
        // the execution JVM reads part of its flags from a file: a flag no JVM knows, then a harmless one
        Path flagsFile = Files.createTempFile("threadlab-start-again", ".args");
        Files.writeString(flagsFile, "-XX:+NoSuchFlagInAnyJvm\n");
        KernelConfig config = KernelConfig.defaults().withExecutionFlag("@" + flagsFile);
        ThreadLabKernel kernel = ThreadLabKernel.builder().config(config).build();
        kernel.start();
        try {
            String told;
            try {
                ThreadLabKernel.CellResult first = kernel.execute("1 + 1");
                assertFalse(first.ok(), "a JVM with an unknown flag cannot have run the cell");
                told = first.error().message() + "\n" + String.join("\n", first.error().traceback());
            } catch (IllegalStateException e) {
                told = e.getMessage();
            }
            assertTrue(told.contains("could not start") && told.contains("next cell starts it again")
                    && told.contains("THREADLAB_START_TIMEOUT"), told);
            Files.writeString(flagsFile, "-Dthreadlab.startAgainTest=true\n");
            assertEquals("2", kernel.execute("1 + 1").text(), "the next cell started a working JVM");
            assertEquals("true", kernel.execute("System.getProperty(\"threadlab.startAgainTest\")").text().replace("\"", ""));
        } finally {
            kernel.onShutdown(false);
            Files.deleteIfExists(flagsFile);
        }
    }
}
