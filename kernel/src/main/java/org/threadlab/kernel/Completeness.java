package org.threadlab.kernel;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Answers is_complete: {@code complete}, {@code invalid} when no continuation can make the code
 * valid (JShell's parser cannot place it), or an indent to continue with when a block is open.
 */
final class Completeness {
    private Completeness() {}

    static String of(JShell shell, String code) {
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        String remaining = code;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = sca.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return indentFor(code);
                }
                case UNKNOWN -> {
                    return BaseKernel.IS_COMPLETE_BAD;
                }
                case EMPTY -> {
                    return BaseKernel.IS_COMPLETE_YES;
                }
                default -> remaining = info.remaining();
            }
        }
        return BaseKernel.IS_COMPLETE_YES;
    }

    /** The open blocks' depth, four spaces each: what a console indents the next line with. */
    private static String indentFor(String code) {
        int depth = 0;
        for (char c : code.toCharArray()) {
            if (c == '{' || c == '(') depth++;
            else if ((c == '}' || c == ')') && depth > 0) depth--;
        }
        return "    ".repeat(Math.max(1, depth));
    }
}
