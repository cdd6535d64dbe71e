package org.threadlab.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.threadlab.agent.protocol.Message;
import org.threadlab.display.Table;
import org.threadlab.kernel.ThreadLabKernel;

import java.util.ArrayList;
import java.util.List;

/** {@code %threads}: the threads that earlier cells started and that still run. */
final class ThreadsMagic implements LineMagic<String, ThreadLabKernel> {
    @Override
    public String eval(ThreadLabKernel kernel, List<String> args) {
        List<List<String>> rows = new ArrayList<>();
        for (Message.LiveThread t : kernel.liveThreads(-1)) {
            if (t.cell() == kernel.currentCell()) continue;
            rows.add(List.of(String.valueOf(t.cell()), t.name(), t.state(), String.valueOf(t.daemon())));
        }
        if (rows.isEmpty()) return "No thread started by an earlier cell is still running.";
        return Table.of(List.of("cell", "thread", "state", "daemon"), rows)
                .withFooter("Stop them with %stop CELL or %stop all.").toString();
    }
}
