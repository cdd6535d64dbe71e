package org.threadlab.os;

import org.threadlab.display.Table;

import java.util.List;
import java.util.Optional;

/**
 * Several processes, like {@code ps -o pid,ppid,...}: filter and sort with plain Java.
 *
 * <pre>{@code
 * children().filter(p -> p.state() == 'Z').size();   // zombie children of this JVM
 * }</pre>
 */
public final class ProcessList extends DataList<ProcessInfo, ProcessList> {
    ProcessList(List<ProcessInfo> items, List<String> unavailable) {
        super(items, unavailable);
    }

    @Override
    protected ProcessList with(List<ProcessInfo> items) {
        return new ProcessList(items, unavailable);
    }

    /** The process with this id, if listed. */
    public Optional<ProcessInfo> byPid(long pid) {
        return items.stream().filter(p -> p.pid() == pid).findFirst();
    }

    @Override
    public Table table() {
        return ProcessInfo.tableOf(items)
                .titled(items.size() + " processes").withFooter(footer());
    }

    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
