package org.threadlab.grading;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A graded exercise: its name, what the student hands in (the type {@code S}: a factory or a
 * function of a contract in {@code org.threadlab.grading.exercises}) and its visible tests.
 * The type parameter lets {@code check(BANK_ACCOUNT, BankAccount::new)} give the method reference
 * its target type, which a plain exercise name could not.
 *
 * @param <S> what the student passes to {@code check}
 */
public final class Exercise<S> {
    private static final Map<String, Object> SUBJECTS = new ConcurrentHashMap<>();

    private final String name;
    private final int lecture;
    private final String needs;
    private final String hands;
    private final List<Class<?>> visibleTests;

    Exercise(int lecture, String name, String needs, String hands, Class<?>... visibleTests) {
        if (lecture < 1 || lecture > 21) throw new IllegalArgumentException("lecture " + lecture + " of exercise " + name + ": 1 to 21");
        this.name = name;
        this.lecture = lecture;
        this.needs = needs;
        this.hands = hands;
        this.visibleTests = List.of(visibleTests);
    }

    public String name() {
        return name;
    }

    /** The lecture this exercise goes with: the last one whose material it needs. */
    public int lecture() {
        return lecture;
    }

    /** What it needs from the lectures, in words ("locks (10) and a lock order (13)"). */
    public String needs() {
        return needs;
    }

    /** Its notebook's name without {@code .ipynb}: {@code e13-bank-account}. */
    public String notebook() {
        return String.format(java.util.Locale.ROOT, "e%02d-%s", lecture, name);
    }

    /** What the check cell passes, in words, for error messages. */
    public String hands() {
        return hands;
    }

    public List<Class<?>> visibleTests() {
        return visibleTests;
    }

    /** The student's implementation under test; the tests of this exercise call it. */
    @SuppressWarnings("unchecked")
    public S subject() {
        Object s = SUBJECTS.get(name);
        if (s == null) {
            throw new IllegalStateException("no implementation to test for " + name
                    + ": run the tests through check(...) or the grader, which pass " + hands);
        }
        return (S) s;
    }

    void use(S subject) {
        if (subject == null) throw new IllegalArgumentException("check(" + name + ", null): pass " + hands);
        SUBJECTS.put(name, subject);
    }

    @Override
    public String toString() {
        return name;
    }
}
