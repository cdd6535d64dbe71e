package org.threadlab.run;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandsTest {

    @Test
    void runCapturesOutputExitCodeAndPid() {
        CommandResult r = Commands.sh("echo $$; echo oops >&2; exit 3");
        assertEquals(3, r.exitCode());
        assertEquals(Long.toString(r.pid()), r.stdout().strip(), "the shell printed its own PID");
        assertEquals("oops", r.stderr().strip());
        assertTrue(r.durationNanos() > 0);
        assertFalse(r.ok());
    }

    @Test
    void aMissingCommandSaysSoAndHowToFixIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Commands.run(List.of("no-such-command-threadlab"), null));
        assertTrue(e.getMessage().contains("no such command: 'no-such-command-threadlab'"), e.getMessage());
        assertTrue(e.getMessage().contains("PATH"), e.getMessage());
    }

    @Test
    void aTimeoutKillsTheCommandAndItsChildren() throws Exception {
        long before = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Commands.run(List.of("/bin/sh", "-c", "sleep 60 & sleep 60; wait"), Duration.ofMillis(500)));
        assertTrue(e.getMessage().contains("did not end within 500 ms"), e.getMessage());
        assertTrue(System.nanoTime() - before < Duration.ofSeconds(20).toNanos());
        String pids = e.getMessage().replaceAll(".*killed pids \\[(.*)]", "$1");
        assertFalse(pids.isBlank(), e.getMessage());
        for (String pid : pids.split(", ")) {
            assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " alive");
        }
    }
}
