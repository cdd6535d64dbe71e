package org.threadlab.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What lets the execution JVMs of a class share memory on one server (see KernelConfig.withMemoryFlags). */
class SharedMemoryTest {

    @Test
    void theExecutionJvmMapsTheJdksClassArchiveWhereItWasBuilt() throws Exception {
        assumeTrue(Runtime.version().feature() <= 25, "the option is only passed to JDKs it was checked on");
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs /proc (Linux)");
        ThreadLabKernel k = ThreadLabKernel.builder().config(KernelConfig.defaults()).build();
        k.start();
        try {
            assertTrue(k.execute("1 + 1").ok());
            ProcessHandle jvm = ProcessHandle.current().descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("-Dthreadlab.side=")).findFirst().orElseThrow();
            // HotSpot builds its archives for this address (SharedBaseAddress); relocated, the archive
            // lands elsewhere and every page of it becomes a private copy of this JVM
            List<String> maps = Files.readAllLines(Path.of("/proc", String.valueOf(jvm.pid()), "maps"));
            List<String> archive = maps.stream().filter(l -> l.endsWith(".jsa") || l.endsWith(".aot")).toList();
            assertFalse(archive.isEmpty(), "no class archive mapped:\n" + String.join("\n", maps));
            long built = 0x800000000L;  // the address the JDK's archive was built for (its header is the first page)
            assertTrue(archive.stream().map(l -> Long.parseUnsignedLong(l.substring(0, l.indexOf('-')), 16))
                    .anyMatch(a -> a >= built && a < built + 0x10000), String.join("\n", archive));
        } finally {
            k.onShutdown(false);
        }
    }
}
