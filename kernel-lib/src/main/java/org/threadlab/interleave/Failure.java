package org.threadlab.interleave;

import org.threadlab.chart.Chart;
import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.io.Serializable;

/**
 * What a search for a failing interleaving found: nothing, or a broken invariant, a deadlock, a
 * livelock (a loop that never ends under the scheduler) or an exception, with the interleaving
 * that leads there.
 *
 * <pre>{@code
 * Failure f = interleave(Counter::new, Counter::inc, Counter::inc).firstFailure(c -> c.n == 2);
 * f.found();   // true
 * f.kind();    // "invariant broken"
 * f.trace();   // who read what and wrote what, step by step
 * }</pre>
 *
 * @param kind      "none", "invariant broken", "deadlock", "livelock", "exception"
 * @param message   one line: the outcome that broke the invariant, the exception, the threads stuck
 * @param trace     the interleaving that leads there (empty when none was found)
 * @param schedule  a schedule of step() segments that reproduces it, or ""
 * @param how       the search ("Lincheck model checking, 1000 interleavings")
 * @param engineReport the engine's own report, verbatim
 */
public record Failure(String kind, String message, Trace trace, String schedule, String how, String engineReport)
        implements Tabular, Serializable {

    /** True when a failing interleaving was found. */
    public boolean found() {
        return !kind.equals("none");
    }

    /** The trace as a lane-per-thread chart. */
    public Chart chart() {
        return trace.chart();
    }

    @Override
    public Table table() {
        String title = found() ? kind + ": " + message : "no failure found (" + how + ")";
        String foot = schedule.isEmpty() ? how : "replay: .schedule(\"" + schedule + "\"); " + how;
        return trace.table().titled(title).withFooter(foot);
    }

    @Override
    public String toString() {
        return table().toString();
    }
}
