package org.threadlab.os;

import org.junit.jupiter.api.Test;
import org.threadlab.ThreadLab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Behaviour on the live machine, with loose bounds: no timings, polling to a deadline instead of fixed sleeps. */
class OsTest {

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("waited 10 s for: " + what);
            Thread.sleep(10);
        }
    }

    static long ownTid() throws IOException {
        String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
        return Long.parseLong(link.substring(link.lastIndexOf('/') + 1));
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "exit status of " + String.join(" ", command) + ": " + out);
        return out;
    }

    @Test
    void startedThreadAppearsWithItsNativeIdAndJavaThreadThenGoesAfterJoin() throws Exception {
        assumeTrue(Os.LINUX, "needs /proc");
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong tid = new AtomicLong(-1);
        Thread t = new Thread(() -> {
            try {
                tid.set(ownTid());
                release.await();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "lab-test-sleeper-with-a-long-name");
        t.start();
        await("the thread to learn its TID", () -> tid.get() > 0);
        assertTrue(Files.isDirectory(Path.of("/proc/self/task/" + tid.get())), "its TID is a task of this process");

        OsThread[] seen = new OsThread[1];
        await("the thread to show up waiting in ps()", () -> {
            seen[0] = ThreadLab.ps().byTid(tid.get()).orElse(null);
            return seen[0] != null && seen[0].javaState() == Thread.State.WAITING;
        });
        OsThread row = seen[0];
        assertEquals("lab-test-sleep", row.name().substring(0, 14), "OS name: the Java name cut at 15 characters");
        assertEquals(15, row.name().length());
        assertEquals('S', row.state(), "a thread blocked on a latch sleeps in the OS");
        assertEquals("sleeping", row.stateWord());
        assertSame(t, row.javaThread());
        assertEquals(t.threadId(), row.javaId());
        assertEquals("lab-test-sleeper-with-a-long-name", row.javaName());
        assertEquals(OsThread.Kind.JAVA, row.kind());
        assertFalse(row.daemon());
        assertTrue(row.startMillis() > System.currentTimeMillis() - 600_000 && row.startMillis() <= System.currentTimeMillis() + 1000,
                "started within the last minutes: " + row.startMillis());
        assertTrue(row.voluntarySwitches() >= 1, "it blocked at least once");
        assertTrue(row.lastCpu() >= 0 && row.lastCpu() < 4096);
        assertTrue(ThreadLab.ps().toString().contains("lab-test-sleeper-with-a-long-name"));

        release.countDown();
        t.join();
        await("the thread to leave ps()", () -> ThreadLab.ps().byTid(tid.get()).isEmpty());
    }

    @Test
    void jvmMachineryIsMarkedAndTheCurrentThreadIsJava() throws Exception {
        assumeTrue(Os.LINUX, "needs /proc");
        ThreadList all = Os.threads();
        long me = ownTid();
        OsThread mine = all.byTid(me).orElseThrow(() -> new AssertionError("the test's own thread is missing from\n" + all));
        assertSame(Thread.currentThread(), mine.javaThread());
        assertTrue(all.stream().anyMatch(t -> t.kind() == OsThread.Kind.JVM && t.name().startsWith("C")),
                "a JIT compiler thread is JVM machinery:\n" + all);
        all.byName("Reference Handler").ifPresent(t -> assertEquals(OsThread.Kind.JVM, t.kind()));
        assertTrue(all.application().stream().noneMatch(OsThread::isJvmInternal));
        assertEquals(all.size(), all.filter(t -> true).size());
    }

    @Test
    void threadsStartedInACellGroupCarryTheCellNumber() throws Exception {
        assumeTrue(Os.LINUX, "needs /proc");
        ThreadGroup cell = new ThreadGroup("cell-7");
        CountDownLatch release = new CountDownLatch(1);
        Thread[] grandChild = new Thread[1];
        Thread child = new Thread(cell, () -> {
            grandChild[0] = new Thread(() -> awaitQuietly(release), "started-by-cell-code");
            grandChild[0].start();
            awaitQuietly(release);
        }, "cell-7");
        child.start();
        try {
            await("both threads to be listed", () -> {
                ThreadList l = Os.threads().ofCell(7);
                return l.byName("cell-7").isPresent() && l.byName("started-by-cell-code").isPresent();
            });
            assertTrue(Os.threads().filter(t -> t.javaThread() == Thread.currentThread()).stream().allMatch(t -> t.cell() == -1));
        } finally {
            release.countDown();
            child.join();
            grandChild[0].join();
        }
    }

    static void awaitQuietly(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void childProcessAppearsUnderThisJvmInTheTreeAndLeavesAfterDestroy() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            long pid = p.pid();
            ProcessTree tree = Os.tree();
            ProcessTree.Node node = tree.find(pid).orElseThrow(() -> new AssertionError("no " + pid + " in\n" + tree));
            ProcessTree.Node parent = tree.nodes().stream().filter(n -> n.children().contains(node)).findFirst().orElseThrow();
            assertEquals(Os.self(), parent.process().pid(), "drawn under the test's JVM");
            assertEquals(Os.self(), node.process().ppid());
            assertEquals(1, node.process().threads());
            assertTrue(tree.toString().contains("\\_ sleep 30"), tree.toString());
            assertTrue(Os.children().byPid(pid).isPresent());
            assertTrue(Os.tree(Os.self()).find(pid).isPresent());
        } finally {
            p.destroy();
            p.waitFor();
        }
        await("the child to leave children()", () -> Os.children().byPid(p.pid()).isEmpty());
        assertTrue(Os.tree().find(p.pid()).isEmpty());
    }

    @Test
    void logicalCpuCountEqualsNproc() throws Exception {
        assumeTrue(Os.LINUX && Files.isExecutable(Path.of("/usr/bin/nproc")), "needs nproc");
        Machine m = Os.machine();
        assertEquals(Integer.parseInt(run("nproc").trim()), m.allowedCpus(), "CPUs this process may use, as nproc counts them");
        assertEquals(Integer.parseInt(run("nproc", "--all").trim()), m.logicalCpus(), "all logical CPUs");
        assertTrue(m.toString().contains("logical CPUs"));
        assertTrue(m.memoryBytes() > 0);
    }

    @Test
    void fieldsAgreeWithPsT() throws Exception {
        assumeTrue(Os.LINUX && (Files.isExecutable(Path.of("/bin/ps")) || Files.isExecutable(Path.of("/usr/bin/ps"))), "needs procps");
        ThreadList ours = Os.threads();
        String out = run("ps", "-T", "-o", "tid=,comm=,stat=,psr=", "-p", Long.toString(Os.self()));
        Map<Long, String[]> ps = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            // comm may contain spaces: tid first, stat and psr last
            String comm = String.join(" ", List.of(f).subList(1, f.length - 2));
            ps.put(Long.parseLong(f[0]), new String[]{comm, f[f.length - 2], f[f.length - 1]});
        }
        int common = 0, sameState = 0;
        for (OsThread t : ours) {
            String[] p = ps.get(t.tid());
            if (p == null) continue;   // ended or started between the two looks
            common++;
            assertEquals(p[0], t.name(), "name of " + t.tid());
            if (p[1].charAt(0) == t.state()) sameState++;
            int psr = Integer.parseInt(p[2]);
            assertTrue(psr >= 0 && t.lastCpu() >= 0 && t.lastCpu() < Math.max(Runtime.getRuntime().availableProcessors(), psr + 1) + 64);
        }
        assertTrue(common >= ours.size() / 2 && common >= 5, "most threads seen by both: " + common + " of " + ours.size());
        // states of busy threads change between the two looks; most threads sleep in both
        assertTrue(sameState >= common * 3 / 4, sameState + " of " + common + " states agree");
    }

    @Test
    void missingProcessGivesAClearMessage() {
        long nobody = 4_194_304 + 17;   // above the largest pid_max Linux allows
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Os.threads(nobody));
        assertTrue(e.getMessage().contains("no process with pid " + nobody), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Os.process(nobody));
        assertThrows(IllegalArgumentException.class, () -> Os.tree(nobody));
    }

    @Test
    void processEndingDuringSnapshotsNeverBreaksTheParser() throws Exception {
        for (int i = 0; i < 20; i++) {
            Process p = new ProcessBuilder("true").start();
            for (int k = 0; k < 5; k++) {
                try {
                    ThreadList l = Os.threads(p.pid());
                    assertTrue(l.size() <= 1);
                    Os.process(p.pid());
                } catch (IllegalArgumentException gone) {
                    assertTrue(gone.getMessage().contains("no process"), gone.getMessage());
                }
            }
            p.waitFor();
        }
    }

    @Test
    void otherProcessesThreadsComeWithoutJavaFields() {
        assumeTrue(Os.LINUX, "needs /proc");
        ProcessInfo init = Os.process(1);
        assertEquals(1, init.pid());
        assertEquals(0, init.ppid());
        ThreadList l = Os.threads(1);
        assertTrue(l.size() >= 1);
        assertTrue(l.stream().allMatch(t -> t.kind() == OsThread.Kind.OTHER && t.javaThread() == null));
    }

    @Test
    void limitsEstimateNamesTheBindingLimit() {
        Limits l = Os.limits();
        assertTrue(l.moreThreads() > 0, l.toString());
        assertFalse(l.bounds().isEmpty());
        assertEquals(l.bounds().get(0).more(), l.moreThreads());
        assertTrue(l.why().startsWith(l.bounds().get(0).name()));
        if (Os.LINUX) {
            assertTrue(l.threadsMax() > 0 && l.pidMax() > 0);
            assertTrue(l.moreThreads() <= l.threadsMax());
            assertTrue(l.threadsNow() >= Os.process().threads());
        }
        assertTrue(l.toString().contains("more threads fit"));
    }

    @Test
    void watchKeepsSamplesOfThreadsThatEnded() throws Exception {
        assumeTrue(Os.LINUX, "needs /proc");
        // on a loaded machine the sampler may get too few turns to see a short thread: try again, up to 3 times
        for (int attempt = 1; ; attempt++) {
            Samples s = watchASpinner(150 * attempt);
            List<Sample> spin = s.stream().filter(x -> x.name().equals("lab-spinner")).toList();
            boolean seenRunning = spin.stream().anyMatch(x -> x.state() == 'R');
            boolean endedEarly = !spin.isEmpty() && spin.get(spin.size() - 1).tick() < s.ticks() - 1;
            if ((!seenRunning || !endedEarly) && attempt < 3) continue;
            assertTrue(seenRunning, "the spinner was sampled running:\n" + s);
            assertTrue(endedEarly, "its samples stop before the end, and are kept:\n" + s);
            assertTrue(s.activities().stream().anyMatch(a -> a.row().equals("lab-spinner") && a.category().equals("R")));
            assertTrue(s.activitiesByCpu().stream().allMatch(a -> a.category().startsWith("cpu ")));
            assertTrue(s.toString().contains("lab-spinner"));
            assertTrue(s.filter(x -> x.kind() == OsThread.Kind.JVM).isEmpty(), "the filter keeps JVM machinery out");
            return;
        }
    }

    private static Samples watchASpinner(long spinMs) {
        AtomicLong spinnerTid = new AtomicLong(-1);
        return Os.watch(Os.self(), 5, t -> t.kind() == OsThread.Kind.JAVA, () -> {
            Thread spinner = new Thread(() -> {
                try {
                    spinnerTid.set(ownTid());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                long end = System.nanoTime() + spinMs * 1_000_000L;
                while (System.nanoTime() < end) Thread.onSpinWait();
            }, "lab-spinner");
            spinner.start();
            try {
                spinner.join();
                long deadline = System.nanoTime() + 5_000_000_000L;
                // keep watching until the OS thread is gone too, so that later ticks miss it
                while (Files.exists(Path.of("/proc/self/task/" + spinnerTid.get())) && System.nanoTime() < deadline) Thread.sleep(5);
                Thread.sleep(30);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void watchedBodyMayThrowAndItsExceptionArrivesAfterTheSamplerStopped() {
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> Os.watch(Os.self(), 10, t -> true, () -> {
                    Thread.sleep(20);
                    throw new java.io.IOException("disk on fire");
                }));
        assertEquals("disk on fire", e.getMessage());
        assertTrue(JavaThreads.liveThreads().values().stream().noneMatch(t -> t.getName().equals("threadlab-sampler")));
    }

    @Test
    void anInterruptedThreadStillSeesItsThreadsAndKeepsItsFlag() {
        assumeTrue(Os.LINUX, "needs /proc");
        Os.threads();   // opens the kept /proc files
        Thread.currentThread().interrupt();
        try {
            ThreadList l = Os.threads();
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is the caller's to clear");
            assertTrue(l.size() > 3);
        } finally {
            Thread.interrupted();
        }
        assertTrue(Os.threads().size() > 3, "the kept files still work afterwards");
    }
}
