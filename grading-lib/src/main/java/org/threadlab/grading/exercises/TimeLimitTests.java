package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Points;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** Visible tests of time-limit: students see these, and check(TIME_LIMIT, ...) runs them. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class TimeLimitTests {
    private final TimeLimit limit = Exercises.TIME_LIMIT.subject();

    /**
     * Watches every process this JVM starts while {@code body} runs (sampling its descendants every
     * 10 ms, so grandchildren are seen even if they are orphaned later), then, after a grace period,
     * fails if any of them still runs; kills the survivors so later tests start clean.
     */
    public static void leavesNothingBehind(String what, Callable body) throws Exception {
        Set<Long> before = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        Map<Long, ProcessHandle> seen = new ConcurrentHashMap<>();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                ProcessHandle.current().descendants().filter(h -> !before.contains(h.pid())).forEach(h -> seen.putIfAbsent(h.pid(), h));
                try { Thread.sleep(10); } catch (InterruptedException e) { return; }
            }
        }, "grading-process-watcher");
        watcher.setDaemon(true);
        watcher.start();
        try {
            body.call();
        } finally {
            watcher.interrupt();
            watcher.join();
        }
        Thread.sleep(500);                                          // processes being killed need a moment to go
        List<String> alive = new ArrayList<>();
        for (ProcessHandle h : seen.values()) {
            if (h.isAlive() && !zombie(h.pid())) {
                alive.add(h.pid() + " " + h.info().commandLine().orElse(h.info().command().orElse("?")));
                h.destroyForcibly();
            }
        }
        if (!alive.isEmpty()) {
            fail(what + ": processes of the command were still running afterwards: " + alive + ". End the whole tree: "
                    + "take ProcessHandle.descendants() of the child before ending it (once a parent is gone, its children are "
                    + "adopted by another process and are no longer your descendants), destroy() them, then destroyForcibly() what is left.");
        }
    }

    /**
     * True when the process has ended but was not reaped yet (state Z in /proc): it runs nothing any
     * more. Orphans end up as zombies when the process that adopts them does not reap them (in some
     * containers, PID 1).
     */
    static boolean zombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (java.io.IOException | RuntimeException e) {
            return false;                                           // no /proc (not Linux) or already gone: trust isAlive
        }
    }

    /** A body that may throw, for {@link #leavesNothingBehind}. */
    @FunctionalInterface
    public interface Callable {
        void call() throws Exception;
    }

    @Test
    @Order(1)
    @Points(1)
    @Timeout(10)
    @DisplayName("a quick command's output comes back")
    void quickCommand() throws Exception {
        String out = limit.run(List.of("sh", "-c", "echo hello; echo world"), Duration.ofSeconds(5));
        assertEquals("hello\nworld\n", out, "the command printed two lines, hello and world");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(10)
    @DisplayName("a runaway command is stopped on time")
    void runawayStopped() throws Exception {
        leavesNothingBehind("sleep 30 with a limit of 300 ms", () -> {
            WallTime clock = WallTime.start();
            expectTimeout(() -> limit.run(List.of("sleep", "30"), Duration.ofMillis(300)));
            clock.assertUnder(2_300, ms -> "run should return within the limit plus 2 s, but took " + ms + " ms");
        });
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(10)
    @DisplayName("the command's own children are ended too")
    void wholeTree() throws Exception {
        leavesNothingBehind("a shell that started two sleeps", () ->
                expectTimeout(() -> limit.run(List.of("sh", "-c", "sleep 30 & sleep 30 & wait"), Duration.ofMillis(300))));
    }

    /** A TimeoutException is expected; anything else the student's code throws is shown as it is ("not done yet" too). */
    private static void expectTimeout(Callable run) throws Exception {
        try {
            run.call();
        } catch (TimeoutException expected) {
            return;
        }
        org.junit.jupiter.api.Assertions.fail("a command still running at its limit should end in a TimeoutException, but run returned");
    }

    @Test
    @Order(4)
    @Points(1)
    @Timeout(10)
    @DisplayName("standard error comes back too, whatever the exit code")
    void stderrAndExitCode() throws Exception {
        String out = limit.run(List.of("sh", "-c", "echo out; sleep 0.05; echo err >&2; exit 3"), Duration.ofSeconds(5));
        assertEquals("out\nerr\n", out, "the command printed 'out' on standard output, then 'err' on standard error, and exited "
                + "with 3: return both, in the order they were written (redirectErrorStream(true)), whatever the exit code");
    }
}
