package org.threadlab.kernel;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.List;

/** Signatures and Javadoc for shift-tab, also with the cursor at the end of a name. */
final class Inspector {
    private Inspector() {}

    /** {@code sources}: where the Javadoc of types outside the JDK comes from (JShell knows only the JDK's). */
    static DisplayData inspect(JShell shell, SourceDocs sources, String code, int at, boolean detail) {
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        at = Math.max(0, Math.min(at, code.length()));
        // JShell documents the call whose '(' precedes the cursor; after a bare name, pretend the '(' is there
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) end++;
        List<SourceCodeAnalysis.Documentation> docs = List.of();
        if (end > 0 && Character.isJavaIdentifierPart(code.charAt(end - 1))) {
            docs = sca.documentation(code.substring(0, end) + "(", end + 1, true);
        }
        if (docs.isEmpty()) docs = sca.documentation(code, at, true);
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            text.append(d.signature()).append('\n');
            html.append("<p><code>").append(escape(d.signature())).append("</code></p>");
            String javadoc = d.javadoc() != null && !d.javadoc().isBlank() ? d.javadoc() : sources.javadoc(d.signature());
            if (javadoc != null && !javadoc.isBlank()) {
                String doc = detail ? javadoc : firstParagraph(javadoc);
                text.append(doc).append("\n\n");
                html.append("<pre>").append(escape(doc)).append("</pre>");
            }
        }
        if (text.isEmpty()) {
            String type = sca.analyzeType(code.substring(0, end), end);
            if (type == null || type.isBlank()) return null;
            text.append(code.substring(wordStart(code, end), end)).append(": ").append(type);
            html.append("<code>").append(escape(text.toString())).append("</code>");
        }
        DisplayData data = new DisplayData(text.toString().strip());
        data.putHTML(html.toString());
        return data;
    }

    private static int wordStart(String code, int end) {
        int s = end;
        while (s > 0 && (Character.isJavaIdentifierPart(code.charAt(s - 1)) || code.charAt(s - 1) == '.')) s--;
        return s;
    }

    private static String firstParagraph(String javadoc) {
        int cut = javadoc.indexOf("\n\n");
        return cut > 0 ? javadoc.substring(0, cut) : javadoc;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
