package org.threadlab.os;

import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.util.List;

/**
 * One process at one moment, like a line of {@code ps -o pid,ppid,nlwp,stat,rss,time,args}.
 *
 * <pre>{@code
 * ProcessInfo me = proc();
 * System.out.println(me.pid() + " runs " + me.threads() + " threads in " + me.rssBytes() / 1_000_000 + " MB");
 * }</pre>
 *
 * Numbers that could not be read are -1; see {@link #unavailable()}.
 *
 * @param pid          the process id
 * @param ppid         the parent's process id (0 for PID 1 and kernel roots); -1 unknown
 * @param name         the short name ({@code comm}, at most 15 characters on Linux)
 * @param commandLine  the full command line, arguments separated by spaces; blank for kernel threads or when
 *                     it may not be read (another user's process on some systems)
 * @param state        the state letter of the process's first thread (R, S, D, Z, T...)
 * @param threads      how many threads it has
 * @param rssBytes     resident set size: the bytes of RAM it occupies, in bytes
 * @param virtualBytes the size of its virtual address space, in bytes
 * @param userMs       CPU time of all its threads in user mode, in milliseconds
 * @param systemMs     CPU time of all its threads in the OS kernel, in milliseconds
 * @param startMillis  when it started, in milliseconds since the epoch
 * @param user         the owner's user name (or uid)
 * @param unavailable  fields that could not be read, each with the reason
 */
public record ProcessInfo(long pid, long ppid, String name, String commandLine, char state, int threads,
                          long rssBytes, long virtualBytes, long userMs, long systemMs, long startMillis,
                          String user, List<String> unavailable) implements Tabular {

    /** User plus system CPU time, in milliseconds. */
    public long cpuMs() {
        return userMs < 0 || systemMs < 0 ? -1 : userMs + systemMs;
    }

    /** The state as a word ("sleeping", "running", "zombie"...). */
    public String stateWord() {
        return OsThread.stateWord(state);
    }

    /** The command line when known, else the short name: what {@code ps} prints as CMD. */
    public String command() {
        return commandLine == null || commandLine.isBlank() ? "[" + name + "]" : commandLine;
    }

    /** Its threads now (same as {@code ps(pid)}). */
    public ThreadList threadList() {
        return Os.threads(pid);
    }

    static List<Table.Column<ProcessInfo>> columns() {
        return List.of(
                Table.col("PID", ProcessInfo::pid),
                Table.col("PPID", p -> ThreadList.num(p.ppid())),
                Table.col("USER", ProcessInfo::user),
                Table.col("S", p -> String.valueOf(p.state())),
                Table.col("THR", p -> ThreadList.num(p.threads())),
                Table.col("RSS_MB", p -> p.rssBytes() < 0 ? "" : String.format("%.1f", p.rssBytes() / 1e6)),
                Table.col("CPU_MS", p -> ThreadList.num(p.cpuMs())),
                Table.col("CMD", p -> ProcessList.cut(p.command(), 100)));
    }

    static Table tableOf(List<ProcessInfo> processes) {
        List<Table.Column<ProcessInfo>> cols = columns();
        List<String> header = cols.stream().map(Table.Column::name).toList();
        List<List<String>> rows = new java.util.ArrayList<>();
        for (ProcessInfo p : processes) {
            rows.add(cols.stream().map(c -> String.valueOf(c.value().apply(p))).toList());
        }
        return Table.of(header, rows);
    }

    /** This process as a one-row table. */
    public Table table() {
        Table t = tableOf(List.of(this));
        return unavailable.isEmpty() ? t : t.withFooter("unavailable: " + String.join("; ", unavailable));
    }

    @Override public String toString() { return table().toString(); }
}
