package org.threadlab.run;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs and captures what they did: Python's {@code subprocess.run(..., capture_output=True)}.
 *
 * <pre>{@code
 * CommandResult r = Commands.run(List.of("ls", "-l"), null);
 * r.exitCode(); r.stdout(); r.pid(); r.millis();
 * Commands.sh("echo $$ && sleep 0.1");   // through /bin/sh -c
 * }</pre>
 */
public final class Commands {
    private Commands() {}

    /**
     * Runs {@code command} (no shell: the first element is the program, found on PATH) and waits
     * for it to end.
     *
     * @param timeout the longest to wait, or null for no limit; when it passes, or the calling
     *                thread is interrupted, the process is killed with its descendants
     * @throws IllegalArgumentException when the program does not exist or cannot be run
     * @throws IllegalStateException on timeout or interrupt (the process tree is killed first)
     */
    public static CommandResult run(List<String> command, Duration timeout) {
        if (command.isEmpty()) throw new IllegalArgumentException("name a command to run, e.g. run(\"ls\", \"-l\")");
        long t0 = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IllegalArgumentException(whyNotRunnable(command.get(0), e), e);
        }
        TreeKiller.register(p.toHandle());
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing to close
        }
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        try {
            boolean ended = timeout == null ? waitFor(p) : p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!ended) {
                List<Long> killed = TreeKiller.kill(p.toHandle());
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout.toMillis()
                        + " ms; killed pids " + killed);
            }
        } catch (InterruptedException e) {
            TreeKiller.kill(p.toHandle());
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted; pid " + p.pid() + " was killed with its children");
        }
        long duration = System.nanoTime() - t0;
        return new CommandResult(List.copyOf(command), p.exitValue(), out.text(), err.text(), p.pid(), duration);
    }

    private static boolean waitFor(Process p) throws InterruptedException {
        p.waitFor();
        return true;
    }

    /** Runs {@code script} with {@code /bin/sh -c}: pipes, redirections and {@code &} work. */
    public static CommandResult sh(String script) {
        return run(List.of("/bin/sh", "-c", script), null);
    }

    static String whyNotRunnable(String program, IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (!Files.exists(p)) return "no such program: " + program + " (the file does not exist)";
            if (!Files.isExecutable(p)) return program + " is not executable: chmod +x " + program;
        } else if (msg.contains("error=2") || msg.contains("No such file")) {
            return "no such command: '" + program + "' is not on the PATH (" + String.join(File.pathSeparator,
                    List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))) + "); check the spelling, "
                    + "give the full path, or for shell built-ins and pipes use sh(\"...\")";
        }
        return "could not run " + program + ": " + msg;
    }

    /** Reads a stream to the end on its own thread, so a full pipe never blocks the child. */
    private static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in) {
            thread = LibraryThreads.start("command-output", () -> {
                try (in) {
                    in.transferTo(bytes);
                } catch (IOException e) {
                    // the process ended or was killed
                }
            });
        }

        String text() {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
