package org.threadlab.os;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The /proc parsers on a recorded tree (src/test/resources/proc/shell-and-sleep: {@code sh -c 'sleep 300 & wait'}
 * and its sleep, copied from a live Linux /proc), so they run on any OS.
 */
class ProcfsRecordedTest {
    private static final long SHELL = 22430, SLEEP = 22431;
    private String before;

    @BeforeEach
    void useRecordedTree() throws Exception {
        before = Procfs.useRoot(Path.of(ProcfsRecordedTest.class.getResource("/proc/shell-and-sleep").toURI()).toString());
    }

    @AfterEach
    void restore() {
        Procfs.useRoot(before);
    }

    @Test
    void processesAreTheNumericEntriesOfTheRoot() {
        assertEquals(List.of(SHELL, SLEEP), Procfs.numericEntries(Procfs.root()).stream().sorted().toList());
    }

    @Test
    void processFieldsComeFromStatStatusAndCmdline() {
        ProcessInfo sleep = Os.linuxProcess(SLEEP);
        assertEquals(SLEEP, sleep.pid());
        assertEquals(SHELL, sleep.ppid());
        assertEquals("sleep", sleep.name());
        assertEquals("sleep 300", sleep.commandLine());
        assertEquals('S', sleep.state());
        assertEquals(1, sleep.threads());
        assertEquals(444L * 4096, sleep.rssBytes());
        // start: btime (from the recorded stat) plus field 22 of stat in ticks of 10 ms
        assertEquals(1796408551L * 1000 + 601134L * 10, sleep.startMillis());
        assertEquals("sh -c sleep 300 & wait", Os.linuxProcess(SHELL).commandLine());
    }

    @Test
    void threadsOfAProcessComeFromItsTaskFolder() {
        ThreadList threads = Os.linuxThreads(SLEEP, true);
        assertEquals(1, threads.size());
        OsThread t = threads.byTid(SLEEP).orElseThrow();
        assertEquals("sleep", t.name());
        assertEquals('S', t.state());
        assertEquals(1, t.voluntarySwitches());
        assertEquals(0, t.involuntarySwitches());
        assertEquals(1, t.lastCpu());
        assertEquals(20, t.priority());
    }

    @Test
    void aProcessMissingFromTheTreeIsReportedAsGone() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Os.linuxThreads(4242, true));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("no process with pid 4242"), e.getMessage());
    }
}
