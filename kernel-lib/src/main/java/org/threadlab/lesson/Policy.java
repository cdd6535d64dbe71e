package org.threadlab.lesson;

import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * A class's thread-safety policy as its fields state it: for each field, the rule that makes
 * sharing it safe (final, volatile, {@link GuardedBy a lock}), or that it has none. It reads
 * declarations, not code: it can say that a field has no rule; it cannot say that every method
 * follows the rules (a check-then-act across two locked calls passes here).
 *
 * <pre>{@code
 * class Office {
 *     private final int seats;
 *     private volatile boolean open = true;
 *     @GuardedBy("this") private int left;
 *     private int sold;                              // no rule: shown as such
 * }
 * Policy p = Policy.of(Office.class);
 * p.uncovered();                                    // [sold]
 * }</pre>
 *
 * @param type the class read
 * @param rows one per field: instance fields, and static fields that are not final
 */
public record Policy(String type, List<Row> rows) implements Tabular {

    /**
     * One field and its rule.
     *
     * @param field   its name
     * @param kind    its declared type, simple name
     * @param rule    "final", "volatile", "guarded by this", "final; contents guarded by this", or "none"
     * @param meaning what the rule allows, in words; for "none", what is missing
     */
    public record Row(String field, String kind, String rule, String meaning) {
        /** True when nothing makes sharing this field safe. */
        public boolean uncovered() {
            return rule.equals("none") || rule.startsWith("final reference");
        }
    }

    public Policy {
        rows = List.copyOf(rows);
    }

    /** The policy of {@code c}'s own fields (not its superclasses'), in declaration order. */
    public static Policy of(Class<?> c) {
        if (c == null) throw new IllegalArgumentException("Policy.of(null): give a class, e.g. Policy.of(Counter.class)");
        List<Row> rows = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
            int m = f.getModifiers();
            if (f.isSynthetic() || (Modifier.isStatic(m) && Modifier.isFinal(m))) continue;
            rows.add(row(f));
        }
        return new Policy(simpleName(c), rows);
    }

    private static Row row(Field f) {
        int m = f.getModifiers();
        String kind = (Modifier.isStatic(m) ? "static " : "") + f.getType().getSimpleName();
        GuardedBy g = f.getAnnotation(GuardedBy.class);
        boolean valueType = f.getType().isPrimitive() || f.getType() == String.class || f.getType().isRecord()
                || Number.class.isAssignableFrom(f.getType()) && f.getType().getName().startsWith("java.lang.");
        if (Modifier.isFinal(m) && g != null) {
            return new Row(f.getName(), kind, "final; contents guarded by " + g.value(),
                    "the reference never changes; what it points to is used only while holding " + g.value());
        }
        if (Modifier.isFinal(m) && f.getType() == Object.class) {
            return new Row(f.getName(), kind, "final", "set once by the constructor: a lock object, the same for every thread");
        }
        if (Modifier.isFinal(m) && (valueType || f.getType().getName().startsWith("java.util.concurrent."))) {
            return new Row(f.getName(), kind, "final", valueType
                    ? "set once by the constructor; any thread reads it without a lock"
                    : "set once by the constructor; the object it points to is thread-safe itself");
        }
        if (Modifier.isFinal(m)) {
            return new Row(f.getName(), kind, "final reference",
                    "the reference is safe to read, but the " + f.getType().getSimpleName() + " it points to has no rule: name its lock with @GuardedBy");
        }
        if (Modifier.isVolatile(m)) {
            return new Row(f.getName(), kind, "volatile",
                    "every read sees the latest write; a read-modify-write on it still needs a lock or an atomic");
        }
        if (g != null) {
            return new Row(f.getName(), kind, "guarded by " + g.value(), "read and written only while holding " + g.value());
        }
        return new Row(f.getName(), kind, "none", "mutable, not volatile, no @GuardedBy: safe only if one thread ever touches it");
    }

    /** The fields with no rule (or a final reference to an object with none). */
    public List<String> uncovered() {
        return rows.stream().filter(Row::uncovered).map(Row::field).toList();
    }

    @Override
    public Table table() {
        List<List<String>> t = new ArrayList<>();
        for (Row r : rows) t.add(List.of(r.field(), r.kind(), r.rule(), r.meaning()));
        List<String> missing = uncovered();
        return Table.of(List.of("field", "type", "rule", "what it allows"), t)
                .titled("thread-safety policy of " + type + ", as its fields state it")
                .withFooter(missing.isEmpty() ? "every field has a rule; whether each method follows it, only reading the methods tells"
                        : "no rule for: " + String.join(", ", missing));
    }

    @Override
    public String toString() {
        return table().toString();
    }

    private static String simpleName(Class<?> c) {
        String n = c.getName();
        int cut = Math.max(n.lastIndexOf('.'), n.lastIndexOf('$'));
        return n.substring(cut + 1);
    }
}
