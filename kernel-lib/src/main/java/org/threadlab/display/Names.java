package org.threadlab.display;

import java.util.regex.Pattern;

/**
 * Removes the names JShell gives its wrapper classes from text a student reads: a class
 * {@code BankAccount} defined in a cell is {@code REPL.$JShell$12$BankAccount} to the JVM, and
 * {@code REPL.$JShell$30C$BankAccount} after the student redefines it. Every form goes:
 * {@code REPL.$JShell$12$Foo}, {@code $JShell$12$Foo}, {@code REPL.$JShell$30C$Foo},
 * {@code REPL.$JShell$12.foo} (a method of a cell) and the bare wrapper {@code $JShell$12}.
 *
 * <pre>{@code
 * Names.clean("REPL.$JShell$30C$BankAccount.transfer");   // "BankAccount.transfer"
 * }</pre>
 */
public final class Names {
    private Names() {}

    // "REPL." (JShell's package), then "$JShell$", the snippet's number and JShell's letters
    // for a redefinition (30C, 7B, ...), then the "$" of a nested class or the "." of a member;
    // a wrapper named alone (at the end, before a space or punctuation) goes too.
    private static final Pattern WRAPPER = Pattern.compile("(?:\\bREPL\\.)?\\$JShell\\$\\d+[A-Z]*(?:[$.]|(?![\\w$]))");

    /** {@code text} without JShell's wrapper names; {@code null} stays {@code null}. */
    public static String clean(String text) {
        if (text == null || text.indexOf("$JShell$") < 0) return text;
        return WRAPPER.matcher(text).replaceAll("");
    }
}
