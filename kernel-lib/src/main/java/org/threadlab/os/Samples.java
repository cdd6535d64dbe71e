package org.threadlab.os;

import org.threadlab.display.Activity;
import org.threadlab.display.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Samples of threads over time, from {@link Os#watch}: per tick, per thread, its state, CPU time
 * and last CPU. Threads that ended during the watch keep their samples. Prints one line per thread
 * with its states over time as letters; {@link #activities()} feeds the timeline charts.
 *
 * <pre>{@code
 * Samples s = watch(10, () -> { ... });              // every 10 ms while the block runs
 * s.filter(x -> x.cell() >= 0).activities();        // timeline stretches of the cell's threads
 * }</pre>
 */
public final class Samples extends DataList<Sample, Samples> {
    private final long pid;
    private final int everyMs;
    private final int ticks;
    private final long durationNanos;
    private final long samplerCpuNanos;

    Samples(long pid, int everyMs, int ticks, long durationNanos, long samplerCpuNanos, List<Sample> samples, List<String> unavailable) {
        super(samples, unavailable);
        this.pid = pid;
        this.everyMs = everyMs;
        this.ticks = ticks;
        this.durationNanos = durationNanos;
        this.samplerCpuNanos = samplerCpuNanos;
    }

    @Override
    protected Samples with(List<Sample> samples) {
        return new Samples(pid, everyMs, ticks, durationNanos, samplerCpuNanos, samples, unavailable);
    }

    public long pid() { return pid; }
    /** The asked interval between ticks, in milliseconds. */
    public int everyMs() { return everyMs; }
    /** How many ticks were taken. */
    public int ticks() { return ticks; }
    /** How long the watch lasted, in nanoseconds. */
    public long durationNanos() { return durationNanos; }
    /** CPU time the sampling thread itself used, in nanoseconds: the cost of watching; -1 unknown. */
    public long samplerCpuNanos() { return samplerCpuNanos; }

    /** The samples of each thread, by TID, in tick order. */
    public Map<Long, List<Sample>> byThread() {
        Map<Long, List<Sample>> m = new LinkedHashMap<>();
        for (Sample s : items) m.computeIfAbsent(s.tid(), k -> new ArrayList<>()).add(s);
        return m;
    }

    /** Timeline stretches: group = process, row = thread name, category = state letter ("R", "S"...). */
    public List<Activity> activities() {
        return activities(s -> String.valueOf(s.state()));
    }

    /** Timeline stretches with the CPU each thread last ran on as category ("cpu 0", "cpu 1"). */
    public List<Activity> activitiesByCpu() {
        return activities(s -> s.lastCpu() < 0 ? "cpu ?" : "cpu " + s.lastCpu());
    }

    /**
     * Timeline stretches with a category of your choice: consecutive samples of a thread with the
     * same category make one {@link Activity}, from its first sample to the thread's next sample
     * (one interval past the last one).
     */
    public List<Activity> activities(Function<Sample, String> category) {
        Map<Long, List<Sample>> threads = byThread();
        Map<String, Integer> nameCount = new HashMap<>();
        for (List<Sample> l : threads.values()) nameCount.merge(l.get(0).name(), 1, Integer::sum);
        List<Activity> out = new ArrayList<>();
        long step = everyMs * 1_000_000L;
        for (List<Sample> l : threads.values()) {
            String name = l.get(0).name();
            String row = nameCount.get(name) > 1 ? name + " #" + l.get(0).tid() : name;
            String group = "pid " + pid;
            int i = 0;
            while (i < l.size()) {
                String cat = category.apply(l.get(i));
                int j = i;
                while (j + 1 < l.size() && category.apply(l.get(j + 1)).equals(cat) && l.get(j + 1).tick() == l.get(j).tick() + 1) j++;
                long start = l.get(i).atNanos();
                long end = j + 1 < l.size() ? l.get(j + 1).atNanos() : l.get(j).atNanos() + step;
                out.add(new Activity(group, row, start, Math.max(start, end), cat));
                i = j + 1;
            }
        }
        return out;
    }

    @Override
    public Table table() {
        List<List<String>> rows = new ArrayList<>();
        for (var e : byThread().entrySet()) {
            List<Sample> l = e.getValue();
            Sample first = l.get(0), last = l.get(l.size() - 1);
            long running = l.stream().filter(s -> s.state() == 'R').count();
            TreeSet<Integer> cpus = new TreeSet<>();
            for (Sample s : l) if (s.lastCpu() >= 0) cpus.add(s.lastCpu());
            rows.add(List.of(Long.toString(e.getKey()), first.name(), first.kind().word(),
                    first.cell() < 0 ? "" : Integer.toString(first.cell()), Integer.toString(l.size()),
                    Math.round(100.0 * running / l.size()) + "%",
                    last.cpuMs() < 0 ? "" : Long.toString(last.cpuMs() - first.cpuMs()),
                    cpus.toString().replace(" ", ""), last.tick() < ticks - 1 ? "yes" : "", strip(l)));
        }
        String cost = samplerCpuNanos < 0 || durationNanos <= 0 ? "" :
                String.format("; sampling cost %.2f%% of one core", 100.0 * samplerCpuNanos / durationNanos);
        return Table.of(List.of("TID", "NAME", "KIND", "CELL", "SAMPLES", "RUNNING", "CPU_MS", "CPUS", "ENDED", "STATES"), rows)
                .titled(String.format("pid %d: %d threads, %d ticks every %d ms over %.2f s%s",
                        pid, rows.size(), ticks, everyMs, durationNanos / 1e9, cost))
                .withFooter(footer());
    }

    /** The thread's states over the whole watch as at most 60 letters, '.' where it did not exist. */
    private String strip(List<Sample> l) {
        int width = Math.min(60, Math.max(1, ticks));
        char[] c = new char[width];
        java.util.Arrays.fill(c, '.');
        for (Sample s : l) {
            int pos = (int) ((long) s.tick() * width / Math.max(1, ticks));
            if (pos < width && (c[pos] == '.' || s.state() == 'R')) c[pos] = s.state();
        }
        return new String(c);
    }
}
