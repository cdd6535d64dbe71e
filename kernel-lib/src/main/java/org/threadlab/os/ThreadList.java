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
    private final boolean machinery;

    ThreadList(long pid, long takenMillis, List<OsThread> threads, List<String> unavailable) {
        this(pid, takenMillis, threads, unavailable, false);
    }

    private ThreadList(long pid, long takenMillis, List<OsThread> threads, List<String> unavailable, boolean machinery) {
        super(threads, unavailable);
        this.pid = pid;
        this.takenMillis = takenMillis;
        this.machinery = machinery;
    }

    @Override
    protected ThreadList with(List<OsThread> threads) {
        return new ThreadList(pid, takenMillis, threads, unavailable, machinery);
    }

    /**
     * The same threads, shown whole in presentation mode too: there the table lists the threads
     * of the user's code first, in few columns, and leaves the JVM's own (GC, compiler, ThreadLab)
     * out until asked with {@code ps().withMachinery()}. Outside presentation mode every table is whole.
     */
    public ThreadList withMachinery() {
        return new ThreadList(pid, takenMillis, items, unavailable, true);
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
        if (org.threadlab.display.Presentation.on() && !machinery) return presentTable();
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

    // the projector's view: the user's threads (by cell, then start), a width that fits at 150 %
    private Table presentTable() {
        List<OsThread> mine = new java.util.ArrayList<>(application().toList());
        mine.sort(java.util.Comparator.comparingInt((OsThread t) -> t.cell() < 0 ? Integer.MAX_VALUE : t.cell())
                .thenComparingLong(OsThread::tid));
        int hidden = items.size() - mine.size();
        String note = hidden > 0 ? hidden + " JVM threads (GC, compiler, kernel) not shown: ps().withMachinery() lists them" : null;
        String f = footer();
        if (f != null) note = note == null ? f : note + "; " + f;
        Table t = Table.from(mine,
                        col("TID", OsThread::tid),
                        col("NAME", OsThread::displayName),
                        col("STATE", OsThread::stateWord),
                        col("CPU", t1 -> num(t1.lastCpu())),
                        col("CPU_MS", t1 -> t1.userMs() < 0 ? "" : Long.toString(t1.userMs() + Math.max(0, t1.systemMs()))),
                        col("CELL", t1 -> t1.cell() < 0 ? "" : Integer.toString(t1.cell())),
                        col("JAVA_STATE", t1 -> t1.javaState() == null ? "" : t1.javaState().toString()))
                .titled("pid " + pid + ": " + mine.size() + " of your threads (" + items.size() + " in all)");
        return note == null ? t : t.withFooter(note);
    }

    static String num(long v) {
        return v < 0 ? "" : Long.toString(v);
    }
}
