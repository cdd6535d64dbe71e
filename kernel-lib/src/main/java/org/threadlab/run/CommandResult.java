package org.threadlab.run;

import org.threadlab.display.Tabular;

import org.threadlab.display.Table;

import java.util.List;

/**
 * What a finished command did: Python's {@code subprocess.CompletedProcess}, with the PID and
 * the duration.
 *
 * @param command        the program and its arguments
 * @param exitCode       exit status (0: success; 128+N: killed by signal N, e.g. 137 for SIGKILL)
 * @param stdout         everything it wrote to standard output, as text
 * @param stderr         everything it wrote to standard error, as text
 * @param pid            its process id
 * @param durationNanos  wall time from start to exit, in nanoseconds
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr, long pid,
                            long durationNanos) implements Tabular {

    /** Whether the exit code is 0. */
    public boolean ok() {
        return exitCode == 0;
    }

    /** The output's lines. */
    public List<String> lines() {
        return stdout.lines().toList();
    }

    /** Duration in milliseconds. */
    public double millis() {
        return durationNanos / 1e6;
    }

    /** A one-row table (command, pid, exit, ms) with the output below it. */
    public Table table() {
        String out = stdout.isEmpty() ? "" : stdout.stripTrailing();
        String err = stderr.isEmpty() ? "" : "stderr: " + stderr.stripTrailing();
        String footer = (out + (out.isEmpty() || err.isEmpty() ? "" : "\n") + err);
        Table t = Table.of(List.of("command", "pid", "exit", "ms"), List.of(List.of(String.join(" ", command),
                Long.toString(pid), Integer.toString(exitCode), String.format("%.1f", millis()))));
        return footer.isEmpty() ? t : t.withFooter(footer);
    }

    @Override
    public String toString() {
        return table().toString();
    }


}
