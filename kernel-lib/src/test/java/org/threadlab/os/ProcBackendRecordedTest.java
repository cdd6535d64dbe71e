package org.threadlab.os;

import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The /proc backend on recorded trees (src/test/resources/proc-fixtures, see the README there), so
 * the parsers run on any OS:
 * <ul>
 *   <li>{@code shell-and-sleep}: {@code sh -c 'sleep 300 & wait'} (22430) and its sleep (22431);</li>
 *   <li>{@code python-threads}: {@code sh -c 'python3 worker.py & sleep 300 & wait'} (18181), the python
 *       process (18220) with two named threads, one spinning ({@code worker-busy}, 18292) and one
 *       sleeping ({@code worker-idle}, 18307), the sleep (18221); its {@code self} is the python
 *       process, and {@code sys} holds its cgroup files and the CPU caches.</li>
 * </ul>
 * Expected values are those of the recorded files.
 */
class ProcBackendRecordedTest {
    private static final long SHELL = 22430, SLEEP = 22431;
    private static final long SH = 18181, PYTHON = 18220, SLEEPER = 18221, BUSY = 18292, IDLE = 18307;

    static ProcBackend recorded(String name) {
        try {
            return ProcBackend.recorded(Path.of(ProcBackendRecordedTest.class.getResource("/proc-fixtures/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private final ProcBackend shell = recorded("shell-and-sleep");
    private final ProcBackend python = recorded("python-threads");

    // ---- processes ----

    @Test
    void processesAreTheNumericEntriesOfTheRoot() {
        assertEquals(List.of(SHELL, SLEEP), shell.processes().stream().map(ProcessInfo::pid).toList());
        assertEquals(List.of(SH, PYTHON, SLEEPER), python.processes().stream().map(ProcessInfo::pid).toList());
    }

    @Test
    void processFieldsComeFromStatStatusAndCmdline() {
        ProcessInfo sleep = shell.process(SLEEP);
        assertEquals(SLEEP, sleep.pid());
        assertEquals(SHELL, sleep.ppid());
        assertEquals("sleep", sleep.name());
        assertEquals("sleep 300", sleep.commandLine());
        assertEquals('S', sleep.state());
        assertEquals(1, sleep.threads());
        assertEquals(444L * 4096, sleep.rssBytes());
        // start: btime (from the recorded stat) plus field 22 of stat in ticks of 10 ms
        assertEquals(1796408551L * 1000 + 601134L * 10, sleep.startMillis());
        assertEquals("sh -c sleep 300 & wait", shell.process(SHELL).commandLine());
    }

    @Test
    void aProcessCountsAndTimesAllItsThreads() {
        ProcessInfo p = python.process(PYTHON);
        assertEquals("python3", p.name());
        assertEquals(SH, p.ppid());
        assertEquals(3, p.threads());
        // fields 14 and 15 of the process's stat (sums over its threads), ticks of 10 ms
        assertEquals(350 * 10, p.userMs());
        assertEquals(5 * 10, p.systemMs());
        assertEquals(2442L * 4096, p.rssBytes());
        assertEquals("/usr/bin/python3 /tmp/rec/worker.py", p.commandLine());
    }

    @Test
    void aMissingProcessIsNullAndItsThreadsAreReportedAsGone() {
        assertNull(shell.process(4242));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shell.threads(4242));
        assertTrue(e.getMessage().contains("no process with pid 4242"), e.getMessage());
    }

    @Test
    void eachRecordedTreeKeepsItsOwnBootTime() {
        // two backends read side by side: each start time uses the btime of its own tree
        long sleepStart = shell.process(SLEEP).startMillis();
        long pythonStart = python.process(PYTHON).startMillis();
        assertEquals(1796408551L * 1000 + 601134L * 10, sleepStart);
        assertEquals(1796408561L * 1000 + 2579313L * 10, pythonStart);
        assertEquals(sleepStart, shell.process(SLEEP).startMillis());
    }

    // ---- threads ----

    @Test
    void threadsOfAProcessComeFromItsTaskFolder() {
        ThreadList threads = shell.threads(SLEEP);
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
    void eachThreadHasItsOwnNameStateAndCpuTicks() {
        ThreadList threads = python.threads(PYTHON);
        assertEquals(List.of(PYTHON, BUSY, IDLE), threads.stream().map(OsThread::tid).toList(), "sorted by TID");
        assertEquals(List.of("python3", "worker-busy", "worker-idle"), threads.stream().map(OsThread::name).toList());
        assertEquals(List.of('S', 'R', 'S'), threads.stream().map(OsThread::state).toList());
        OsThread busy = threads.byTid(BUSY).orElseThrow();
        assertEquals(351 * 10, busy.userMs(), "utime, field 14, in ticks of 10 ms");
        assertEquals(5 * 10, busy.systemMs(), "stime, field 15");
        assertEquals(0, threads.byTid(IDLE).orElseThrow().userMs());
        assertTrue(threads.stream().allMatch(t -> t.pid() == PYTHON));
    }

    @Test
    void contextSwitchesComeFromEachTasksStatus() {
        ThreadList threads = python.threads(PYTHON);
        OsThread busy = threads.byTid(BUSY).orElseThrow(), idle = threads.byTid(IDLE).orElseThrow();
        // a spinning thread is mostly preempted, a sleeping one gives the CPU up itself
        assertEquals(3, busy.voluntarySwitches());
        assertEquals(3261, busy.involuntarySwitches());
        assertEquals(11, idle.voluntarySwitches());
        assertEquals(0, idle.involuntarySwitches());
        assertTrue(threads.unavailable().isEmpty(), threads.unavailable().toString());
    }

    @Test
    void threadsOfARecordedProcessAreNeverMatchedToThisJvm() {
        ThreadList threads = python.threads(PYTHON);
        assertTrue(threads.stream().allMatch(t -> t.kind() == OsThread.Kind.OTHER && t.javaThread() == null && t.javaId() == -1),
                threads.toString());
    }

    @Test
    void theThreadTablePrintsTheRecordedValues() {
        String table = python.threads(PYTHON).toString();
        for (String s : List.of("worker-busy", "worker-idle", "python3", "18292", "18307")) {
            assertTrue(table.contains(s), s + " missing from\n" + table);
        }
    }

    // ---- the tree ----

    @Test
    void theTreeHangsEachProcessUnderItsParent() {
        ProcessTree tree = Os.tree(python, SH, false);
        assertEquals(SH, tree.root().process().pid());
        assertEquals(List.of(PYTHON, SLEEPER), tree.root().children().stream().map(n -> n.process().pid()).toList());
        assertEquals(List.of(0, 1, 1), tree.nodes().stream().map(ProcessTree.Node::depth).toList());
        assertEquals(3, tree.find(PYTHON).orElseThrow().process().threads());
        assertTrue(tree.toString().contains(" \\_ /usr/bin/python3 /tmp/rec/worker.py"), tree.toString());
    }

    @Test
    void ancestorsMissingFromTheTreeAreNamedAsUnavailable() {
        // the shell's parent, pid 1, was not recorded: the line up stops at the shell and says so
        ProcessTree tree = Os.tree(python, PYTHON, true);
        assertEquals(SH, tree.root().process().pid());
        assertEquals(List.of(SH, PYTHON), tree.nodes().stream().map(n -> n.process().pid()).toList());
        assertTrue(tree.unavailable().stream().anyMatch(u -> u.contains("ancestors above pid " + SH)), tree.unavailable().toString());
    }

    @Test
    void childrenAreTheProcessesWhoseParentIsThePid() {
        assertEquals(List.of(PYTHON, SLEEPER), python.children(SH).stream().map(ProcessInfo::pid).toList());
        assertTrue(python.children(SLEEPER).isEmpty());
    }

    // ---- machine and limits ----

    @Test
    void limitsComeFromTheRecordedKernelFiles() {
        Limits l = python.limits();
        assertEquals(192736, l.threadsMax());
        assertEquals(32768, l.pidMax());
        assertEquals(467, l.threadsNow(), "the total after the slash in loadavg");
        assertEquals(96368, l.nprocSoft());
        assertEquals(96368, l.nprocHard());
        assertEquals(1 + 3 + 1, l.userThreadsNow(), "Threads: of every process whose Uid is self's");
        assertEquals(8L * 1024 * 1024, l.osStackBytes());
        assertEquals(Long.MAX_VALUE, l.addressSpaceBytes());
        assertEquals(65530, l.maxMapCount());
        assertEquals(8, l.mapsNow());
        assertEquals(-1, l.cgroupTasks(), "no pids controller recorded");
        assertEquals(22145472L * 1024, l.memoryAvailableBytes());
        Limits.Bound pidMax = l.bounds().stream().filter(b -> b.name().equals("pid_max")).findFirst().orElseThrow();
        assertEquals(32768 - 467, pidMax.more());
        assertEquals("pid_max", l.bounds().get(0).name(), "the smallest bound binds: " + l.bounds());
        assertEquals(32768 - 467, l.moreThreads());
    }

    @Test
    void cachesAreCountedOncePerSetOfCpusSharingThem() {
        assertEquals(List.of("L1 data 32 KiB x2", "L1 instruction 32 KiB x2", "L2 1 MiB x2", "L3 32 MiB"),
                Machine.linuxCaches(python.proc));
    }

    @Test
    void cgroupV1WithoutLimitsReadsAsNone() {
        // cpu.cfs_quota_us is -1, and the memory limit of self's group is v1's page-rounded "no limit"
        assertEquals(-1, Cgroup.cpuLimit(python.proc));
        assertEquals(-1, Cgroup.memoryLimit(python.proc));
        assertTrue(Files.isRegularFile(Path.of(python.proc.sysPath("fs/cgroup/memory/lab/memory.limit_in_bytes"))),
                "self's own group (self/cgroup says /lab) is the file read first");
    }

    @Test
    void machineTakesKernelAffinityAndCachesFromTheTree() {
        Machine m = python.machine();
        assertEquals("6.18.44-fc-v1272", m.kernel());
        assertEquals(2, m.allowedCpus(), "Cpus_allowed_list 0-1 of self/status");
        assertEquals(-1, m.cgroupCpus());
        assertEquals(-1, m.cgroupMemoryBytes());
        assertFalse(m.unavailable().stream().anyMatch(u -> u.startsWith("allowed CPUs")), m.unavailable().toString());
    }

    // ---- the choice ----

    @Test
    void theLiveBackendIsProcWhereverProcIsReadable() {
        boolean proc = Files.isReadable(Path.of("/proc/self/stat"));
        assertEquals(proc, Os.BACKEND instanceof ProcBackend, "chosen: " + Os.BACKEND.getClass().getSimpleName());
        assertEquals(!proc, Os.BACKEND instanceof OshiBackend);
    }
}
