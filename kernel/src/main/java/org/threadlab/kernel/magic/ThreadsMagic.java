package org.threadlab.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.threadlab.agent.protocol.Message;
import org.threadlab.display.Table;
import org.threadlab.kernel.ThreadLabKernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code %threads}: the threads that earlier cells started and that still run. The kernel's own
 * (negative cells: the replay after a restart) are not listed, and the test threads of
 * {@code check(..)} (named {@code grading-...}) are summed up in one line per cell: they are the
 * library's, not the student's, and are left only when the student's code deadlocked them.
 */
final class ThreadsMagic implements LineMagic<String, ThreadLabKernel> {
    /** The prefix of the threads the grading library's tests start (Races, the exercises' tests). */
    static final String GRADING_PREFIX = "grading-";

    @Override
    public String eval(ThreadLabKernel kernel, List<String> args) {
        List<List<String>> rows = new ArrayList<>();
        Map<Integer, Integer> grading = new TreeMap<>();
        for (Message.LiveThread t : kernel.liveThreads(-1)) {
            if (t.cell() < 0 || t.cell() == kernel.currentCell()) continue;
            if (t.name().startsWith(GRADING_PREFIX)) {
                grading.merge(t.cell(), 1, Integer::sum);
                continue;
            }
            rows.add(List.of(String.valueOf(t.cell()), t.name(), t.state(), String.valueOf(t.daemon())));
        }
        List<String> notes = new ArrayList<>();
        grading.forEach((cell, n) -> notes.add(String.format("check()'s tests in cell [%d] left %d thread%s stuck in your code "
                + "(a deadlock?); %%stop %d ends them.", cell, n, n == 1 ? "" : "s", cell)));
        if (rows.isEmpty()) {
            notes.add(0, "No thread started by an earlier cell is still running.");
            return String.join("\n", notes);
        }
        notes.add("Stop them with %stop CELL or %stop all.");
        return Table.of(List.of("cell", "thread", "state", "daemon"), rows).withFooter(String.join("\n", notes)).toString();
    }
}
