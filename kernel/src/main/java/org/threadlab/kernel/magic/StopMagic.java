package org.threadlab.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.threadlab.kernel.ThreadLabKernel;
import org.threadlab.kernel.exec.CellStopper;

import java.util.List;

/**
 * {@code %stop CELL|all}: interrupts, then forces, the threads earlier cells left running, and says
 * in its own cell what happened: how many threads, whether force was needed, and whether the
 * execution JVM had to be restarted because some would not stop (blocked entering a monitor).
 */
final class StopMagic implements LineMagic<String, ThreadLabKernel> {
    @Override
    public String eval(ThreadLabKernel kernel, List<String> args) {
        if (args.size() != 1) throw new IllegalArgumentException("say which cell: %stop 7, or %stop all");
        boolean all = args.get(0).equals("all");
        ThreadLabKernel.StopOutcome outcome;
        if (all) {
            outcome = kernel.stopEarlierCells("%stop");
        } else {
            int cell;
            try {
                cell = Integer.parseInt(args.get(0).replace("[", "").replace("]", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + args.get(0) + "' is not a cell number; use %stop 7 or %stop all");
            }
            if (cell == kernel.currentCell()) throw new IllegalArgumentException("cell [" + cell + "] is this cell; name an earlier one");
            outcome = kernel.stopThreads(cell, "%stop");
        }
        return describe(outcome, all);
    }

    /** What {@code outcome} did, one line per cell, then the restart's note if there was one. */
    static String describe(ThreadLabKernel.StopOutcome outcome, boolean all) {
        StringBuilder sb = new StringBuilder();
        outcome.reports().forEach((cell, r) -> {
            if (r.interrupted() == 0 && cell != outcome.restartedAt()) {
                if (!all) sb.append(String.format("cell [%d] has no thread running.%n", cell));
                return;
            }
            sb.append(line(cell, r, cell == outcome.restartedAt())).append(System.lineSeparator());
        });
        for (int cell : outcome.endedByRestart()) {
            sb.append(String.format("cell [%d]: its threads ended with that restart.%n", cell));
        }
        if (outcome.restarted()) sb.append(outcome.restartNote()).append(System.lineSeparator());
        return sb.isEmpty() ? "No thread of an earlier cell is running." : sb.toString();
    }

    static String line(int cell, CellStopper.StopReport r, boolean restarted) {
        int n = r.interrupted();
        String threads = n + " thread" + (n == 1 ? "" : "s");
        if (restarted) {
            int stuck = r.survivors().size();
            return String.format("cell [%d]: %s would not stop (%s), so the execution JVM was restarted, which ended %s.",
                    cell, stuck == n || stuck == 0 ? (n == 1 ? "its thread" : "its " + threads) : stuck + " of its " + threads,
                    String.join(", ", r.survivors().subList(0, Math.min(3, stuck))) + (stuck > 3 ? ", ..." : ""),
                    n == 1 ? "it" : "them all");
        }
        return String.format("cell [%d]: %s stopped (%s).", cell, threads, r.forced() > 0
                ? "those that ignored Thread.interrupt() were stopped by force"
                : "Thread.interrupt() ended " + (n == 1 ? "it" : "them"));
    }
}
