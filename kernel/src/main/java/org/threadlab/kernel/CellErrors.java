package org.threadlab.kernel;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import org.threadlab.agent.StackTraces;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Turns JShell's diagnostics and remote exceptions into errors a student can read. */
final class CellErrors {
    private CellErrors() {}

    /** "line N: message", the offending line of the cell, and a caret under the column. */
    static Session.Error compileError(JShell shell, Snippet s, String code, int snippetStart) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : shell.diagnostics(s).toList()) {
            if (!d.isError()) continue;
            String msg = d.getMessage(Locale.ROOT);
            if (first == null) first = msg.lines().findFirst().orElse(msg);
            long pos = d.getPosition() >= 0 ? d.getPosition() : d.getStartPosition();
            int at = (int) Math.min(code.length() - 1L, snippetStart + Math.max(0, pos));
            lines.add("Compile error on line " + lineOf(code, at) + ": " + msg);
            lines.add(caret(code, at));
        }
        if (first == null) {
            first = "the snippet was rejected";
            lines.add("JShell rejected: " + s.source().strip());
        }
        return new Session.Error("CompileError", first, lines);
    }

    static int lineOf(String code, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < code.length(); i++) if (code.charAt(i) == '\n') line++;
        return line;
    }

    /** The line of {@code code} holding {@code offset}, with a caret under that column. */
    static String caret(String code, int offset) {
        if (code.isEmpty()) return "";
        offset = Math.max(0, Math.min(offset, code.length() - 1));
        int begin = code.lastIndexOf('\n', offset - 1) + 1;
        if (code.charAt(offset) == '\n' && offset > begin) offset--;
        int end = code.indexOf('\n', offset);
        if (end < 0) end = code.length();
        String line = code.substring(begin, end);
        StringBuilder pad = new StringBuilder();
        for (int i = begin; i < offset; i++) pad.append(code.charAt(i) == '\t' ? '\t' : ' ');
        return "    " + line + "\n    " + pad + "^";
    }

    /** Why a declaration cannot be used yet: the names it needs that no cell has defined. */
    static String recoverable(JShell shell, DeclarationSnippet s) {
        String missing = shell.unresolvedDependencies(s).collect(Collectors.joining(", "));
        return s.name() + " is defined, but cannot be used until " + (missing.isEmpty() ? "its errors are fixed" : missing + " is defined");
    }

    /**
     * The exception's class and message, then the frames of cell code first (named by cell and
     * line), then library frames; JShell's and reflection's plumbing is left out. Causes follow.
     */
    static Session.Error runtimeError(EvalException ee, CellLines where) {
        List<String> tb = new ArrayList<>();
        String name = ee.getExceptionClassName();
        String simple = name.substring(name.lastIndexOf('.') + 1);
        Throwable cur = ee;
        boolean top = true;
        int depth = 0;
        while (cur != null && depth++ < 8) {
            String cls = cur instanceof EvalException e ? e.getExceptionClassName() : cur.getClass().getName();
            String msg = cur.getMessage();
            tb.add((top ? "" : "Caused by: ") + cls + (msg == null ? "" : ": " + msg));
            for (StackTraceElement f : cur.getStackTrace()) {
                if (StackTraces.isCellFrame(f)) {
                    String method = f.getMethodName().isEmpty() || f.getMethodName().equals("do_it$") ? "the cell's code"
                            : (f.getClassName().isEmpty() ? "" : f.getClassName() + ".") + f.getMethodName();
                    tb.add("    at " + method + " (" + where.describe(String.valueOf(f.getFileName()), f.getLineNumber()) + ")");
                }
            }
            for (String f : StackTraces.frames(cur.getStackTrace())) {
                if (!f.contains("(#")) tb.add("    at " + f);
            }
            top = false;
            cur = cur.getCause();
        }
        if (name.equals("java.lang.OutOfMemoryError")) {
            tb.add("The execution JVM's heap is limited (-Xmx, set THREADLAB_HEAP in the kernelspec's env to change it). "
                    + "Objects the cell still references stay allocated: reassign or drop them, or restart the kernel.");
        }
        return new Session.Error(simple, ee.getMessage() == null ? "" : ee.getMessage(), tb);
    }

    /**
     * A thread's uncaught exception as an error output: ename the exception's simple name, evalue its
     * message, the traceback Java's "Exception in thread ..." with the frames worth reading; JShell's
     * wrapper names are cleaned from all of it. A frame of a cell's code reads "at BankAccount.transfer
     * (cell code)": in the execution JVM its file and line are those of JShell's generated wrapper,
     * which would only mislead.
     */
    static Session.Error threadError(org.threadlab.agent.protocol.Message.ThreadFailed f) {
        List<String> tb = new ArrayList<>();
        boolean top = true;
        for (org.threadlab.agent.protocol.Message.Thrown t : f.chain()) {
            String head = t.className() + (t.message() == null ? "" : ": " + t.message());
            tb.add(org.threadlab.display.Names.clean((top ? "Exception in thread \"" + f.thread() + "\" " : "Caused by: ") + head));
            for (org.threadlab.agent.protocol.Message.Frame fr : t.frames()) {
                if (fr.cell()) {
                    String cls = org.threadlab.display.Names.clean(fr.className().replaceFirst("^REPL\\.", ""));
                    String method = fr.method().startsWith("lambda$") ? "a lambda"
                            : fr.method().isEmpty() || fr.method().equals("do_it$") ? "the cell's statements"
                            : (cls.isEmpty() || cls.startsWith("$JShell$") ? "" : cls + ".") + fr.method();
                    tb.add("    at " + method + " (cell code)");
                } else {
                    tb.add("    at " + org.threadlab.display.Names.clean(new StackTraceElement(fr.className(), fr.method(), fr.file(), fr.line()).toString()));
                }
            }
            top = false;
        }
        if (f.chain().isEmpty()) tb.add("Exception in thread \"" + f.thread() + "\"");
        org.threadlab.agent.protocol.Message.Thrown first = f.chain().isEmpty() ? null : f.chain().get(0);
        String name = first == null ? "Exception" : first.className().substring(first.className().lastIndexOf('.') + 1);
        String message = first == null || first.message() == null ? "" : first.message();
        return new Session.Error(org.threadlab.display.Names.clean(name), org.threadlab.display.Names.clean(message), tb);
    }

    interface CellLines {
        String describe(String snippetFile, int line);
    }
}
