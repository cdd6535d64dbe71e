package org.threadlab.grading.exercises;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What the process tests look at: the live descendants of this JVM. */
public final class Processes {
    private Processes() {}

    /** True while process {@code pid} exists and is not a zombie (ended, waiting to be reaped). */
    public static boolean alive(long pid) {
        char state = state(pid);
        return state != '?' && state != 'Z' && state != 'X';
    }

    /**
     * True while process {@code pid} sleeps in a write to a pipe, its reader not reading (Linux's
     * {@code /proc/PID/wchan}); false where the kernel does not say.
     */
    public static boolean blockedWritingAPipe(long pid) {
        try {
            return state(pid) == 'S' && Files.readString(Path.of("/proc/" + pid + "/wchan")).contains("pipe_write");
        } catch (IOException gone) {
            return false;
        }
    }

    /** The state letter of process {@code pid} in {@code /proc/PID/stat} (R, S, D, Z, ...), or '?' when it is gone. */
    private static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException | RuntimeException gone) {
            return '?';
        }
    }

    /** The PIDs of this JVM's live descendants running {@code program} (by its short name). */
    public static Set<Long> descendantsRunning(String program) {
        Set<Long> pids = new TreeSet<>();
        ProcessHandle.current().descendants().forEach(p -> {
            try {
                String comm = Files.readString(Path.of("/proc/" + p.pid() + "/comm")).strip();
                if (comm.equals(program) && alive(p.pid())) pids.add(p.pid());
            } catch (IOException gone) {
                // ended meanwhile
            }
        });
        return pids;
    }

    /** Which of {@code pids} are still alive after up to {@code graceMs} ms. */
    public static List<Long> stillAlive(Set<Long> pids, long graceMs) throws InterruptedException {
        long deadline = System.nanoTime() + graceMs * 1_000_000;
        List<Long> left;
        do {
            left = pids.stream().filter(Processes::alive).toList();
            if (left.isEmpty()) return left;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return left;
    }
}
