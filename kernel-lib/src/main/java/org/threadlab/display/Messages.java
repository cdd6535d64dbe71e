package org.threadlab.display;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failure messages as a student should read them: JShell's wrapper names gone ({@link Names}) and
 * JUnit's {@code "==> expected: <..> but was: <..>"} turned into words. A test's own message says
 * what went wrong; JUnit's tail only repeats a {@code true}/{@code false} or {@code null} it
 * already implies, and otherwise becomes "(expected X, got Y)".
 *
 * <pre>{@code
 * Messages.plain("total after the transfers ==> expected: <200> but was: <190>");
 *     // "total after the transfers (expected 200, got 190)"
 * }</pre>
 */
public final class Messages {
    private Messages() {}

    // an object without its own toString shows as "Class@hash<value>": the class and hash are noise
    private static final String IDENTITY = "(?:[\\w.$]+@\\p{XDigit}+)?";
    private static final Pattern EXPECTED = Pattern.compile(
            "expected: " + IDENTITY + "<(.*?)> but was: " + IDENTITY + "<(.*)>", Pattern.DOTALL);
    private static final Pattern IMPLIED = Pattern.compile(
            "expected: (?:<true> but was: <false>|<false> but was: <true>|not <null>|<null> but was: <.*>)", Pattern.DOTALL);

    /** {@code text} cleaned for a reader; {@code null} stays {@code null}. */
    public static String plain(String text) {
        text = Names.clean(text);
        if (text == null || !text.contains("expected: ")) return text;
        int arrow = text.indexOf(" ==> ");
        if (arrow >= 0) {
            String own = text.substring(0, arrow).strip();
            String junit = text.substring(arrow + 5).strip();
            if (IMPLIED.matcher(junit).matches()) return own;
            return own + " (" + words(junit) + ")";
        }
        return words(text);
    }

    private static String words(String junit) {
        Matcher m = EXPECTED.matcher(junit);
        if (m.find()) return junit.substring(0, m.start()) + "expected " + m.group(1) + ", got " + m.group(2) + junit.substring(m.end());
        if (junit.startsWith("expected: not <null>")) return "got null";
        return junit;
    }
}
