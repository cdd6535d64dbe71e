package org.threadlab.os;

import org.threadlab.display.Table;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import static org.threadlab.display.Table.col;

/**
 * The OS threads of one process at one moment, like {@code ps -T -p PID}: a list of
 * {@link OsThread} that filters and sorts with plain Java and prints as a table.
 *
 * <pre>{@code
 * ThreadList all = ps();
 * all.filter(t -> t.kind() == OsThread.Kind.JAVA).sorted(Comparator.comparingLong(OsThread::cpuMs).reversed());
 * all.byName("worker-1").map(OsThread::tid);
 * }</pre>
 */
public final class ThreadList extends DataList<OsThread, ThreadList> {
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final long pid;
    private final long takenMillis;

    ThreadList(long pid, long takenMillis, List<OsThread> threads, List<String> unavailable) {
        super(threads, unavailable);
        this.pid = pid;
        this.takenMillis = takenMillis;
    }

    @Override
    protected ThreadList with(List<OsThread> threads) {
        return new ThreadList(pid, takenMillis, threads, unavailable);
    }

    /** The process these threads belong to. */
    public long pid() { return pid; }

    /** When the snapshot was taken, in milliseconds since the epoch. */
    public long takenMillis() { return takenMillis; }

    /** The thread with this OS thread id, if it was alive at the snapshot. */
    public Optional<OsThread> byTid(long tid) {
        return items.stream().filter(t -> t.tid() == tid).findFirst();
    }

    /** The first thread whose Java name (or, failing that, OS name) equals {@code name}. */
    public Optional<OsThread> byName(String name) {
        return items.stream().filter(t -> name.equals(t.displayName()) || name.equals(t.name())).findFirst();
    }

    /** The threads the application or a cell started (no JVM machinery, no ThreadLab plumbing). */
    public ThreadList application() {
        return filter(t -> (t.kind() == OsThread.Kind.JAVA || t.kind() == OsThread.Kind.CARRIER)
                && !t.displayName().startsWith("threadlab-"));
    }

    /** The threads started (directly or not) by code of notebook cell {@code n}. */
    public ThreadList ofCell(int n) {
        return filter(t -> t.cell() == n);
    }

    /** Counts per state letter, for example {@code {S=20, R=2}}. */
    public java.util.Map<Character, Long> countByState() {
        java.util.Map<Character, Long> m = new java.util.TreeMap<>();
        for (OsThread t : items) m.merge(t.state(), 1L, Long::sum);
        return m;
    }

    @Override
    public Table table() {
        return Table.from(items,
                        col("TID", OsThread::tid),
                        col("NAME", OsThread::name),
                        col("S", t -> String.valueOf(t.state())),
                        col("STATE", OsThread::stateWord),
                        col("PSR", t -> num(t.lastCpu())),
                        col("USR_MS", t -> num(t.userMs())),
                        col("SYS_MS", t -> num(t.systemMs())),
                        col("VCSW", t -> num(t.voluntarySwitches())),
                        col("NVCSW", t -> num(t.involuntarySwitches())),
                        col("PRI", OsThread::priority),
                        col("NI", OsThread::nice),
                        col("START", t -> t.startMillis() < 0 ? "" : HMS.format(Instant.ofEpochMilli(t.startMillis()))),
                        col("KIND", t -> t.kind().word()),
                        col("CELL", t -> t.cell() < 0 ? "" : Integer.toString(t.cell())),
                        col("JAVA_NAME", t -> t.javaName() == null ? "" : t.javaName()),
                        col("JAVA_STATE", t -> t.javaState() == null ? "" : t.javaState().toString()),
                        col("DAEMON", t -> t.javaState() == null ? "" : t.daemon() ? "yes" : "no"))
                .titled("pid " + pid + ": " + items.size() + " threads")
                .withFooter(footer());
    }

    static String num(long v) {
        return v < 0 ? "" : Long.toString(v);
    }
}
