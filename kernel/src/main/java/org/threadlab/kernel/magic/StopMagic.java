package org.threadlab.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.threadlab.kernel.ThreadLabKernel;
import org.threadlab.kernel.exec.CellStopper;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code %stop CELL|all}: interrupts, then forces, the threads earlier cells left running. */
final class StopMagic implements LineMagic<String, ThreadLabKernel> {
    @Override
    public String eval(ThreadLabKernel kernel, List<String> args) {
        if (args.size() != 1) throw new IllegalArgumentException("say which cell: %stop 7, or %stop all");
        Map<Integer, CellStopper.StopReport> reports;
        if (args.get(0).equals("all")) {
            reports = kernel.stopEarlierCells();
        } else {
            int cell;
            try {
                cell = Integer.parseInt(args.get(0).replace("[", "").replace("]", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + args.get(0) + "' is not a cell number; use %stop 7 or %stop all");
            }
            reports = new TreeMap<>(Map.of(cell, kernel.stopThreads(cell)));
        }
        if (reports.isEmpty()) return "No thread of an earlier cell is running.";
        StringBuilder sb = new StringBuilder();
        reports.forEach((cell, r) -> sb.append(String.format("cell [%d]: %d thread%s stopped%s%n", cell, r.interrupted(),
                r.interrupted() == 1 ? "" : "s", r.forced() > 0 ? " (some by force)" : "")));
        return sb.toString();
    }
}
