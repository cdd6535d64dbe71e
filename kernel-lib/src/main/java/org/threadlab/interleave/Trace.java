package org.threadlab.interleave;

import org.threadlab.chart.Chart;
import org.threadlab.chart.Charts;
import org.threadlab.display.Activity;
import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the threads, step by step: which thread ran, where in the source, what it did, and
 * the shared values it read or wrote (or, for a replayed schedule, the shared state after the step).
 * A text table with {@code toString()}, an HTML table in a notebook, a lane-per-thread chart with
 * {@link #chart()}.
 *
 * <pre>{@code
 * Trace t = interleave(Counter::new, Counter::inc, Counter::inc).schedule("ABAB").trace();
 * t.steps().get(0).thread();   // "A"
 * t.chart();                   // one lane per thread, a box per step
 * }</pre>
 */
public record Trace(String title, List<Step> steps) implements Tabular, Serializable {

    /**
     * One step.
     *
     * @param number  1, 2, ... in the order the steps ran
     * @param thread  "A", "B", ... (the order the bodies were given in)
     * @param where   source location, {@code Class.method(File:line)}, when known
     * @param action  what ran: a read ({@code Counter.n ➜ 0}), a write ({@code Counter.n = 1}), a
     *                lock, a wait, a switch, or "ran to step()" for a replayed schedule
     * @param values  the value read or written, or the shared state after a replayed step
     */
    public record Step(int number, String thread, String where, String action, String values) implements Serializable {}

    public Trace {
        steps = List.copyOf(steps);
    }

    /** The threads' letters in the order they first appear. */
    public List<String> threads() {
        List<String> t = new ArrayList<>();
        for (Step s : steps) if (!t.contains(s.thread())) t.add(s.thread());
        return t;
    }

    /** The letters of the steps in order, "ABBA": the schedule this trace followed, step by step. */
    public String letters() {
        StringBuilder b = new StringBuilder();
        for (Step s : steps) b.append(s.thread());
        return b.toString();
    }

    @Override
    public Table table() {
        List<List<String>> rows = new ArrayList<>();
        for (Step s : steps) rows.add(List.of(String.valueOf(s.number()), s.thread(), s.where(), s.action(), s.values()));
        return Table.of(List.of("step", "thread", "where", "action", "shared values"), rows).titled(title);
    }

    /** A timeline: one lane per thread, one box per step, in step order (the axis counts steps, not time). */
    public Chart chart() {
        if (steps.isEmpty()) throw new IllegalArgumentException("this trace has no steps to draw: " + title);
        List<Activity> a = new ArrayList<>();
        for (Step s : steps) {
            // Timeline draws milliseconds: one step is one "millisecond", so the axis reads as step numbers.
            long start = (s.number() - 1) * 1_000_000L;
            a.add(new Activity("threads", "thread " + s.thread(), start, start + 1_000_000L, kind(s.action())));
        }
        return Charts.timeline(title + " (x axis: step number)", a);
    }

    private static String kind(String action) {
        if (action.contains("➜")) return "read";
        if (action.contains(" = ")) return "write";
        if (action.startsWith("MONITOR") || action.contains("lock")) return "lock";
        if (action.startsWith("WAIT") || action.startsWith("NOTIFY") || action.contains("PARK")) return "wait/notify";
        if (action.startsWith("switch")) return "switch";
        return "other";
    }

    @Override
    public String toString() {
        return table().toString();
    }
}
