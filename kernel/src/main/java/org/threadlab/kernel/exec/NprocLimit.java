package org.threadlab.kernel.exec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fallback cap where no pids cgroup can be made and the kernel is not root: RLIMIT_NPROC on the
 * execution JVM, set with util-linux's {@code prlimit} while the JVM waits, suspended, for the
 * debugger. Linux checks it at every fork and thread creation against all tasks of the user, so it
 * is set to the user's tasks now plus the cap: other programs of the same user that start many
 * threads meanwhile eat into it. It does not hold root (whose limit Linux does not check), which
 * gets the cgroup instead.
 */
final class NprocLimit {
    private static final String PRLIMIT = Files.isExecutable(Path.of("/usr/bin/prlimit")) ? "/usr/bin/prlimit"
            : Files.isExecutable(Path.of("/bin/prlimit")) ? "/bin/prlimit" : null;

    private NprocLimit() {}

    /** Sets the limit on {@code pid}; returns a sentence on what was done or why not. */
    static String apply(long pid, long maxTasks) {
        long uid = uid(ProcessHandle.current().pid());
        if (uid < 0) return "not on Linux";
        if (uid == 0) return "root is not held by RLIMIT_NPROC";
        if (PRLIMIT == null) return "prlimit (util-linux) is not installed";
        long limit = tasksOf(uid) + maxTasks;
        try {
            Process p = new ProcessBuilder(PRLIMIT, "--pid", String.valueOf(pid), "--nproc=" + limit + ":" + limit)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) return "prlimit failed";
            return "RLIMIT_NPROC " + limit + " (the user's tasks now plus " + maxTasks + ")";
        } catch (IOException e) {
            return "prlimit failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static long uid(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Uid:")) return Long.parseLong(line.split("\\s+")[1]);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc
        }
        return -1;
    }

    /** Threads of all processes whose real uid is {@code uid}: what RLIMIT_NPROC counts. */
    private static long tasksOf(long uid) {
        long n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : ds) {
                long u = -1, threads = 0;
                try {
                    for (String line : Files.readAllLines(p.resolve("status"))) {
                        if (line.startsWith("Uid:")) u = Long.parseLong(line.split("\\s+")[1]);
                        else if (line.startsWith("Threads:")) threads = Long.parseLong(line.split("\\s+")[1]);
                    }
                } catch (IOException | RuntimeException e) {
                    continue;
                }
                if (u == uid) n += threads;
            }
        } catch (IOException e) {
            // no /proc
        }
        return n;
    }
}
