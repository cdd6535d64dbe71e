package org.threadlab.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** An idle execution JVM gives the C heap's free pages back (org.threadlab.agent.NativeHeap), never while a cell runs. */
class NativeHeapTrimTest {

    // 96 MB in 32 KB blocks, below glibc's mmap threshold, so they come from its heap; all but the last are
    // freed, so the free space lies under a block still in use and glibc keeps it until malloc_trim
    private static final String ALLOCATE_AND_FREE = """
            import java.lang.foreign.*;
            var linker = Linker.nativeLinker();
            var malloc = linker.downcallHandle(linker.defaultLookup().find("malloc").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            var free = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            long rssKb() throws Exception {
                return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\\\D", ""))).findFirst().orElseThrow();
            }
            var blocks = new MemorySegment[3072];
            for (int i = 0; i < blocks.length; i++) { blocks[i] = ((MemorySegment) malloc.invokeExact(32L * 1024)).reinterpret(32 * 1024); blocks[i].fill((byte) 1); }
            for (int i = 0; i < blocks.length - 1; i++) free.invokeExact(blocks[i]);
            long freed = rssKb();
            Thread.sleep(2000);
            freed + " " + rssKb()
            """;

    @Test
    void anIdleExecutionJvmGivesFreedNativeMemoryBackButNotDuringACell() throws Exception {
        assumeTrue(Runtime.version().feature() >= 22, "the trim calls glibc through java.lang.foreign, final from JDK 22");
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs /proc (Linux)");
        ThreadLabKernel k = ThreadLabKernel.builder()
                .config(KernelConfig.defaults().withExecutionFlag("-Dthreadlab.trimAfterMs=500")).build();
        k.start();
        try {
            ThreadLabKernel.CellResult r = k.execute(ALLOCATE_AND_FREE);
            assertTrue(r.ok(), r.errorText());
            String[] kb = r.text().replace("\"", "").split(" ");
            long afterFree = Long.parseLong(kb[0]), twoSecondsLater = Long.parseLong(kb[1]);
            // the cell slept 2 s, four times the idle time: had the trim not waited for the cell's end, 96 MB would be gone
            assertTrue(twoSecondsLater > afterFree - 32 * 1024,
                    "RSS fell from " + afterFree + " to " + twoSecondsLater + " kB while the cell still ran");
            ProcessHandle jvm = ProcessHandle.current().descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("-Dthreadlab.side=")).findFirst().orElseThrow();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long rss = rssKb(jvm.pid());
            while (rss > afterFree - 64 * 1024 && System.nanoTime() < until) {
                Thread.sleep(100);
                rss = rssKb(jvm.pid());
            }
            assertTrue(rss <= afterFree - 64 * 1024, "RSS " + afterFree + " kB after the free, still " + rss
                    + " kB 30 s after the cell: the 96 MB freed were not given back");
        } finally {
            k.onShutdown(false);
        }
    }

    private static long rssKb(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
    }
}
