package org.threadlab.interleave;

import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The distinct outcomes an exploration reached, each with one way to reach it: a schedule of
 * {@code step()} segments to paste into {@link Interleaving#schedule(String)} when one reaches it,
 * and the engine's trace of the run that reached it.
 *
 * <pre>{@code
 * Outcomes o = interleave(Counter::new, Counter::inc, Counter::inc).explore();
 * o.outcomes();   // [n=2, n=1]
 * }</pre>
 *
 * @param how       "Lincheck model checking, 1000 interleavings per search" or "30 random schedules, seed 7"
 * @param rows      one per outcome, in the order they were found
 * @param complete  true when the search ended without finding anything new (within its budget)
 * @param note      what stopped the search early, or ""
 */
public record Outcomes(String how, List<Row> rows, boolean complete, String note) implements Tabular, Serializable {

    /**
     * One outcome.
     *
     * @param outcome   the shared state at the end ("n=1"), or "deadlock", "livelock", "A threw ..."
     * @param count     how many of the runs ended so (random exploration), or -1 (systematic: not counted)
     * @param schedule  a schedule of step() segments that reaches it, or "" when none does (the race is
     *                  inside a segment: add step() marks there to replay it)
     * @param trace     the engine's trace of a run reaching it
     */
    public record Row(String outcome, int count, String schedule, Trace trace) implements Serializable {}

    public Outcomes {
        rows = List.copyOf(rows);
    }

    /** The outcomes, in the order found. */
    public List<String> outcomes() {
        return rows.stream().map(Row::outcome).toList();
    }

    /** The row of {@code outcome}, or null. */
    public Row row(String outcome) {
        return rows.stream().filter(r -> r.outcome().equals(outcome)).findFirst().orElse(null);
    }

    @Override
    public Table table() {
        List<List<String>> t = new ArrayList<>();
        for (Row r : rows) {
            t.add(List.of(r.outcome(), r.count() < 0 ? "" : String.valueOf(r.count()),
                    r.schedule().isEmpty() ? "(none at step() marks)" : "schedule(\"" + r.schedule() + "\")",
                    r.trace() == null ? "" : r.trace().letters().isEmpty() ? "" : r.trace().steps().size() + " steps"));
        }
        String foot = (complete ? "complete: nothing new within the budget" : "incomplete") + (note.isEmpty() ? "" : "; " + note);
        return Table.of(List.of("outcome", "runs", "replay with", "trace"), t).titled(rows.size() + " outcomes, " + how).withFooter(foot);
    }

    @Override
    public String toString() {
        return table().toString();
    }
}
