package org.threadlab.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.threadlab.kernel.ThreadLabKernel;
import org.threadlab.kernel.exec.ExecutionJvm;

import java.util.List;
import java.util.TreeSet;

/** {@code %stop CELL|all}: interrupts, then forces, the threads earlier cells left running. */
final class StopMagic implements LineMagic<String, ThreadLabKernel> {
    @Override
    public String eval(ThreadLabKernel kernel, List<String> args) {
        if (args.size() != 1) throw new IllegalArgumentException("say which cell: %stop 7, or %stop all");
        TreeSet<Integer> cells = new TreeSet<>();
        if (args.get(0).equals("all")) {
            for (String[] t : kernel.liveThreads(-1)) cells.add(Integer.parseInt(t[0]));
            cells.remove(kernel.currentCell());
        } else {
            try {
                cells.add(Integer.parseInt(args.get(0).replace("[", "").replace("]", "")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + args.get(0) + "' is not a cell number; use %stop 7 or %stop all");
            }
        }
        if (cells.isEmpty()) return "No thread of an earlier cell is running.";
        StringBuilder sb = new StringBuilder();
        for (int cell : cells) {
            ExecutionJvm.StopReport r = kernel.stopThreads(cell);
            sb.append(String.format("cell [%d]: %d thread%s stopped%s%n", cell, r.interrupted(), r.interrupted() == 1 ? "" : "s",
                    r.forced() > 0 ? " (some by force)" : ""));
        }
        return sb.toString();
    }
}
