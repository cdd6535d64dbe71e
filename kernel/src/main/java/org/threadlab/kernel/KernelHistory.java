package org.threadlab.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The cells run in this kernel's lifetime, for Jupyter's history requests (session 0). */
final class KernelHistory implements HistoryManager {
    private record Cell(int number, String input, String output) {}

    private final List<Cell> cells = new ArrayList<>();

    synchronized void add(int number, String input, String output) {
        cells.add(new Cell(number, input, output));
    }

    private HistoryEntry entry(Cell c, Set<ResultFlag> flags) {
        String out = flags.contains(ResultFlag.INCLUDE_OUTPUT) ? (c.output() == null ? "" : c.output()) : null;
        return new HistoryEntry(0, c.number(), c.input(), out);
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int sessionOffset, int startCell, int endCell, Set<ResultFlag> flags) {
        List<HistoryEntry> out = new ArrayList<>();
        if (sessionOffset != 0) return out;
        for (Cell c : cells) if (c.number() >= startCell && c.number() < endCell) out.add(entry(c, flags));
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        List<HistoryEntry> out = new ArrayList<>();
        if (length <= 0) length = cells.size();
        for (Cell c : cells.subList(Math.max(0, cells.size() - length), cells.size())) out.add(entry(c, flags));
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> search(String pattern, int length, Set<ResultFlag> flags) {
        Pattern p = Pattern.compile(globToRegex(pattern), Pattern.DOTALL);
        if (length <= 0) length = Integer.MAX_VALUE; // a request without "n" asks for every match
        List<HistoryEntry> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = cells.size() - 1; i >= 0 && out.size() < length; i--) {
            Cell c = cells.get(i);
            if (!p.matcher(c.input()).matches()) continue;
            if (flags.contains(ResultFlag.UNIQUE) && !seen.add(c.input())) continue;
            out.add(0, entry(c, flags));
        }
        return out;
    }

    static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char ch = glob.charAt(i);
            switch (ch) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i);
                    if (end < 0) { sb.append("\\["); break; }
                    String body = glob.substring(i + 1, end);
                    if (body.startsWith("^")) body = "^" + body.substring(1).replace("\\", "\\\\");
                    sb.append('[').append(body).append(']');
                    i = end;
                }
                default -> sb.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return sb.toString();
    }
}
