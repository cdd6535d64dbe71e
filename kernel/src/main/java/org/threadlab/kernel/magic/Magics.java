package org.threadlab.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.threadlab.kernel.ThreadLabKernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * IJava-compatible magics. A line that starts with {@code %} is a line magic and runs before the
 * cell's code; a first line starting with {@code %%} makes the whole cell the body of a cell magic.
 */
public final class Magics {
    private Magics() {}

    public static void registerAll(MagicsRegistry registry) {
        ClasspathMagic classpath = new ClasspathMagic();
        registry.registerLineMagic("classpath", classpath);
        registry.registerLineMagic("jars", classpath);
        registry.registerLineMagic("maven", new MavenMagic());
        registry.registerLineMagic("threads", new ThreadsMagic());
        registry.registerLineMagic("stop", new StopMagic());
        registry.registerCellMagic("time", new TimeMagic());
        registry.registerCellMagic("timeit", new TimeitMagic());
        registry.registerLineMagic("reset", new ResetMagic());
        registry.registerLineMagic("present", new PresentMagic());
    }

    /** A line magic: its name and its arguments, split like a shell splits words. */
    public record Line(String name, List<String> args) {}

    /** A cell split into magics and code. */
    public record Parsed(String cellMagic, List<String> cellArgs, List<Line> lineMagics, String code) {}

    public static Parsed parse(String cell) {
        String trimmed = cell.stripLeading();
        if (trimmed.startsWith("%%")) {
            int nl = trimmed.indexOf('\n');
            String head = nl < 0 ? trimmed.substring(2) : trimmed.substring(2, nl);
            String body = nl < 0 ? "" : trimmed.substring(nl + 1);
            List<String> words = split(head);
            return new Parsed(words.isEmpty() ? "" : words.get(0), words.isEmpty() ? List.of() : words.subList(1, words.size()), List.of(), body);
        }
        List<Line> magics = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        for (String line : cell.split("\n", -1)) {
            if (line.startsWith("%") && !line.startsWith("%%")) {
                List<String> words = split(line.substring(1));
                if (!words.isEmpty()) magics.add(new Line(words.get(0), words.subList(1, words.size())));
                // keep the line count, so compile errors point at the right line of the cell
                code.append('\n');
            } else {
                code.append(line).append('\n');
            }
        }
        String c = code.toString();
        return new Parsed(null, List.of(), magics, c.endsWith("\n") && !cell.endsWith("\n") ? c.substring(0, c.length() - 1) : c);
    }

    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char ch : s.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) quote = 0;
                else cur.append(ch);
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                any = true;
            } else if (Character.isWhitespace(ch)) {
                if (any || !cur.isEmpty()) out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(ch);
            }
        }
        if (any || !cur.isEmpty()) out.add(cur.toString());
        return out;
    }

    static List<String> words(String... w) {
        return Arrays.asList(w);
    }
}
