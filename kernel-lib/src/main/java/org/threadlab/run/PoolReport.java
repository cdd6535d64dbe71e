package org.threadlab.run;

import org.threadlab.display.Tabular;

import org.threadlab.display.Table;

import java.util.List;

/**
 * Where the time of a {@link ProcessPool#map} went. Serialization and work are summed over all
 * workers (CPU-side time), so with several workers they can exceed the wall time.
 *
 * @param workers          worker processes
 * @param tasks            inputs mapped
 * @param chunks           messages the inputs were sent in (several inputs per message)
 * @param startNanos       time spent starting worker JVMs until they answered ready, in ns
 *                         (at pool creation, and for workers replaced since the last report)
 * @param serializeNanos   time spent turning the function, inputs and results into bytes and back,
 *                         in this JVM and in the workers, in ns
 * @param workNanos        time the function itself ran in the workers, summed, in ns
 * @param wallNanos        wall-clock time of the map call, in ns
 */
public record PoolReport(int workers, int tasks, int chunks, long startNanos, long serializeNanos, long workNanos,
                         long wallNanos) implements Tabular {

    /**
     * Wall time per task that went to anything but the work, if the work were spread evenly over
     * the workers: {@code (wall - work / workers) / tasks}, in ns.
     */
    public long overheadPerTaskNanos() {
        if (tasks == 0) return 0;
        return Math.max(0, (wallNanos - workNanos / Math.max(1, workers)) / tasks);
    }

    /** The report as a table, one row per part, in milliseconds. */
    public Table table() {
        return Table.of(List.of("part", "ms", "note"), List.of(
                List.of("starting workers", ms(startNanos), workers + " JVMs"),
                List.of("serialization", ms(serializeNanos), chunks + " messages each way, both sides, with shipping classes"),
                List.of("work", ms(workNanos), "summed over workers"),
                List.of("wall", ms(wallNanos), tasks + " tasks"),
                List.of("overhead per task", String.format("%.3f", overheadPerTaskNanos() / 1e6), "(wall - work/workers) / tasks")
        )).titled("process pool map: " + tasks + " tasks on " + workers + " workers");
    }

    private static String ms(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    @Override
    public String toString() {
        return table().toString();
    }


}
