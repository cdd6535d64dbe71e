package org.threadlab.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Stack traces a student can read: the exception, then the frames of the notebook's own code and
 * the library frames between them, without the reflection and JShell plumbing that runs every cell.
 */
public final class StackTraces {
    private StackTraces() {}

    /** True for frames of code written in a cell (JShell compiles cells into classes named REPL.$JShell$N). */
    public static boolean isCellFrame(StackTraceElement e) {
        // JShell renames cell frames: file "#ID" (the snippet), class without its REPL wrapper
        return e.getClassName().startsWith("REPL.") || (e.getFileName() != null && e.getFileName().startsWith("#"));
    }

    static boolean isPlumbing(StackTraceElement e) {
        String c = e.getClassName();
        return c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.reflect.Method")
                || c.startsWith("jdk.jshell.") || c.startsWith("org.threadlab.agent.")
                || c.startsWith("java.lang.Thread") && e.getMethodName().equals("run")
                || c.startsWith("java.lang.Thread") && e.getMethodName().equals("runWith");
    }

    /** How a frame of a cell reads: {@code at greet(#12:3)} names the snippet and its line. */
    public static String frame(StackTraceElement e) {
        if (isCellFrame(e)) {
            String m = e.getMethodName().isEmpty() || e.getMethodName().equals("do_it$") ? "cell code" : e.getMethodName();
            return m + "(" + (e.getFileName() == null ? "cell" : e.getFileName()) + ":" + e.getLineNumber() + ")";
        }
        return e.toString();
    }

    /** {@code Type: message} and the frames that matter, cause by cause, one per line. */
    public static String readable(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Throwable cur = t;
        int depth = 0;
        while (cur != null && depth++ < 10) {
            if (cur != t) sb.append("Caused by: ");
            sb.append(cur.getClass().getName());
            if (cur.getMessage() != null) sb.append(": ").append(cur.getMessage());
            sb.append('\n');
            for (String line : frames(cur.getStackTrace())) sb.append("    at ").append(line).append('\n');
            cur = cur.getCause();
        }
        return sb.toString().stripTrailing();
    }

    /** {@code t} and its causes (at most 10) with the frames worth showing, as the protocol carries them. */
    public static List<org.threadlab.agent.protocol.Message.Thrown> chain(Throwable t) {
        List<org.threadlab.agent.protocol.Message.Thrown> out = new ArrayList<>();
        for (Throwable cur = t; cur != null && out.size() < 10; cur = cur.getCause()) {
            List<org.threadlab.agent.protocol.Message.Frame> frames = new ArrayList<>();
            for (StackTraceElement e : shown(cur.getStackTrace())) {
                frames.add(new org.threadlab.agent.protocol.Message.Frame(e.getClassName(), e.getMethodName(),
                        e.getFileName(), e.getLineNumber(), isCellFrame(e)));
            }
            out.add(new org.threadlab.agent.protocol.Message.Thrown(cur.getClass().getName(), cur.getMessage(), frames));
        }
        return out;
    }

    /** The frames worth showing; the plumbing below the cell's own code is cut off. */
    public static List<String> frames(StackTraceElement[] trace) {
        return shown(trace).stream().map(StackTraces::frame).toList();
    }

    private static List<StackTraceElement> shown(StackTraceElement[] trace) {
        int last = trace.length - 1;
        while (last >= 0 && (isPlumbing(trace[last]) || trace[last].getClassName().startsWith("java.lang.Thread"))) last--;
        List<StackTraceElement> out = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            if (!isPlumbing(trace[i])) out.add(trace[i]);
        }
        if (out.isEmpty() && trace.length > 0) out.add(trace[0]);
        return out;
    }
}
