package org.threadlab.kernel.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Where execution JVMs write crash logs, and why one ended, in words a student can act on. */
final class CrashReport {
    private CrashReport() {}

    private static volatile Path crashDir;


    /**
     * The folder for crash logs of execution JVMs: {@code threadlab-crashes-USER} in the temp folder,
     * one per user (kernels are often killed, and a folder per kernel would litter it), open to that
     * user only; a private temp folder when that name is taken by someone else.
     */
    static Path crashDir() throws IOException {
        Path d = crashDir;
        if (d == null) {
            synchronized (CrashReport.class) {
                if (crashDir == null) crashDir = makeCrashDir();
                d = crashDir;
            }
        }
        return d;
    }

    private static Path makeCrashDir() throws IOException {
        String me = System.getProperty("user.name", "user");
        Path shared = Path.of(System.getProperty("java.io.tmpdir"), "threadlab-crashes-" + me.replaceAll("[^A-Za-z0-9._-]", "_"));
        java.nio.file.LinkOption noFollow = java.nio.file.LinkOption.NOFOLLOW_LINKS;
        try {
            if (!Files.exists(shared, noFollow)) {
                Files.createDirectory(shared, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
            if (Files.isDirectory(shared, noFollow) && Files.getOwner(shared, noFollow).getName().equals(me)) return shared;
        } catch (IOException | UnsupportedOperationException e) {
            // taken by another user, or no POSIX permissions here: a private folder instead
        }
        return Files.createTempDirectory("threadlab-crashes-");
    }

    /**
     * Why this JVM ended, for the student: the signal that ended it, or its exit status, and where
     * its crash log is. Waits up to a second for the process to be reaped.
     */
    static String deathCause(Process process) {
        try {
            process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (process.isAlive()) return "the execution JVM stopped answering";
        int status = process.exitValue();
        Path log = crashDir == null ? null : crashDir.resolve("hs_err_pid" + process.pid() + ".log");
        boolean hasLog = log != null && Files.isRegularFile(log);
        String fatal = hasLog ? ProcFs.crashSignal(log) : null;
        StringBuilder sb = new StringBuilder();
        if (hasLog) {
            // HotSpot catches the fatal signal, writes its log and exits (status 1, or SIGABRT with core dumps on)
            sb.append("the execution JVM crashed");
            if (fatal != null) sb.append(" on ").append(fatal);
            sb.append(" (a fault in native code or in the JVM: memory written through sun.misc.Unsafe, or a signal sent to it)");
        } else if (status > 128) {
            int sig = status - 128;
            sb.append("the execution JVM was ended by signal ").append(sig).append(" (").append(ProcFs.signalName(sig))
                    .append(sig == 9 ? ": killed from outside, by kill -9 or the system's out-of-memory killer" : "").append(")");
        } else {
            sb.append("the execution JVM exited with status ").append(status)
                    .append(" (Runtime.halt, or System.exit from a thread the kernel could not intercept)");
        }
        if (hasLog) sb.append("; its crash log is ").append(log);
        return sb.toString();
    }
}
