package org.threadlab.interleave;

import org.threadlab.chart.Chart;
import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.io.Serializable;
import java.util.List;

/**
 * One replayed schedule: the letters asked for, the outcome (the shared state at the end), the
 * step-by-step trace and anything that went wrong (a thread stuck in a deadlock, a letter naming
 * a thread that had already finished).
 *
 * <pre>{@code
 * Run r = interleave(Counter::new, Counter::inc, Counter::inc).schedule("ABAB");
 * r.outcome();   // "n=1": B's write overwrote A's
 * }</pre>
 */
public record Run(String schedule, String outcome, Trace trace, List<String> problems) implements Tabular, Serializable {
    public Run {
        problems = List.copyOf(problems);
    }

    /** True when a thread could not go on in this order (a deadlock under this schedule). */
    public boolean stuck() {
        return outcome.equals("stuck");
    }

    /** The trace as a lane-per-thread chart. */
    public Chart chart() {
        return trace.chart();
    }

    @Override
    public Table table() {
        Table t = trace.table();
        return problems.isEmpty() ? t : t.withFooter(String.join("\n", problems));
    }

    @Override
    public String toString() {
        return table().toString();
    }
}
