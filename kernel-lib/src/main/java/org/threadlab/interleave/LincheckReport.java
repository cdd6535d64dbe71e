package org.threadlab.interleave;

import java.util.ArrayList;
import java.util.List;

/** Reads Lincheck 3.7's failure report: its kind, and its interleaving table as a {@link Trace}. */
final class LincheckReport {
    private LincheckReport() {}

    static Engine.Found parse(String report, String outcome) {
        String kind;
        String message;
        if (report.contains("has hung")) {
            kind = report.contains("livelock") ? "livelock" : "deadlock";
            message = report.contains("livelock")
                    ? "a loop never ends under the scheduler (Lincheck's loop bound): an endless loop or a livelock"
                    : "every unfinished thread waits for another (a lock cycle, or a wait() nobody will notify)";
            outcome = kind;
        } else {
            String exc = report.lines().filter(l -> l.startsWith("java.") || l.contains("Error: ") || l.contains("Exception: "))
                    .findFirst().orElse(report.lines().filter(l -> !l.isBlank()).findFirst().orElse("?"));
            if (exc.contains(Engine.NEW)) {
                kind = "outcome";
                message = exc.substring(exc.indexOf(Engine.NEW) + Engine.NEW.length());
                outcome = message;
            } else if (exc.contains(Engine.BROKEN)) {
                kind = "invariant broken";
                // from the message: Lincheck restores the test's shared objects after each run
                outcome = exc.substring(exc.indexOf(Engine.BROKEN) + Engine.BROKEN.length());
                message = "outcome " + outcome;
            } else if (exc.contains("not supported in Lincheck")) {
                kind = "not controlled";
                message = (exc.contains(Engine.THREW) ? exc.substring(exc.indexOf(Engine.THREW) + Engine.THREW.length()) : exc)
                        + ": the engine cannot control I/O (its result would differ between interleavings it cannot see);"
                        + " do the I/O before the threads start, in the setup, and give the threads its result";
                outcome = kind;
            } else if (exc.contains(Engine.THREW)) {
                kind = "exception";
                message = exc.substring(exc.indexOf(Engine.THREW) + Engine.THREW.length());
                outcome = message;
            } else {
                kind = "exception";
                message = exc;
                outcome = exc;
            }
        }
        return new Engine.Found(kind, message, outcome, trace(report, kind + ": " + message), report);
    }

    /** The detailed table (it has source lines) when there is one, else the first. */
    static Trace trace(String report, String title) {
        List<String> lines = report.lines().toList();
        int from = 0;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith("Detailed trace")) from = i;
        List<String> header = null;
        List<Trace.Step> steps = new ArrayList<>();
        int separators = 0;
        for (int i = from; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.startsWith("|")) {
                if (header != null) break;
                continue;
            }
            if (l.startsWith("| ---")) {
                if (++separators == 3) break;
                continue;
            }
            List<String> cells = cells(l);
            if (header == null) {
                header = cells;
                continue;
            }
            for (int c = 0; c < cells.size() && c < header.size(); c++) {
                String text = cells.get(c);
                if (text.isBlank()) continue;
                String thread = letterOf(header.get(c));
                if (thread == null) continue;   // the test's own main thread: setup and the final check
                Trace.Step st = step(steps.size() + 1, thread, text);
                if (!harness(st)) steps.add(st);
            }
        }
        return new Trace(title, steps);
    }

    /** Rows of this package's own code (calling the body, the no-op step() mark), not the user's. */
    private static boolean harness(Trace.Step s) {
        String w = s.where();
        return w.startsWith("Engine.") || w.startsWith("Interleaving.") || w.startsWith("Replay.") || w.startsWith("ThreadLab.step(")
                || (w.isEmpty() && s.action().equals("run()"));
    }

    private static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        String inner = line.substring(1, line.lastIndexOf('|'));
        for (String c : inner.split("\\|", -1)) out.add(c.strip());
        return out;
    }

    /** "Thread 1" -> "A" (the first body), "Main Thread" -> null. */
    private static String letterOf(String column) {
        if (!column.startsWith("Thread ")) return null;
        try {
            return Interleaving.letter(Integer.parseInt(column.substring(7).trim()) - 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Trace.Step step(int n, String thread, String text) {
        String where = "";
        String action = text;
        int at = text.lastIndexOf(" at ");
        if (at > 0 && text.endsWith(")")) {
            where = org.threadlab.display.Names.clean(text.substring(at + 4));
            action = text.substring(0, at);
        }
        String value = "";
        int read = action.indexOf(" ➜ ");
        int write = action.indexOf(" = ");
        if (read > 0) value = action.substring(action.indexOf(" ➜ ") + 3).trim();
        else if (write > 0) value = action.substring(write + 3).trim();
        action = org.threadlab.display.Names.clean(action);
        return new Trace.Step(n, thread, where, action, value);
    }
}
