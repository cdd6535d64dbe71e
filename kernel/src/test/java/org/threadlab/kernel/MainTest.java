package org.threadlab.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MainTest {

    @Test
    void theKernelspecsJvmFlagsStartThisJdk() throws Exception {
        // the kernelspec is written from these flags: one this JDK does not know and the kernel never starts
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Main.jvmFlags());
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
    }

    @Test
    void theExitWaitForThreadsInNativeCodeIsOffOnJdk25() {
        assumeTrue(Runtime.version().feature() >= 25, "the option is known from JDK 25 on at the latest");
        assertTrue(Main.jvmFlags().contains("-XX:UserThreadWaitAttemptsAtExit=0"), Main.jvmFlags().toString());
    }
}
