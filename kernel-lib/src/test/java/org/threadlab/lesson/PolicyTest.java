package org.threadlab.lesson;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyTest {
    @SuppressWarnings("unused")
    static final class Office {
        static final int MAX = 10;                                   // a constant: not listed
        private final int seats = 3;
        private final Object lock = new Object();
        private volatile boolean open = true;
        @GuardedBy("lock") private int left;
        @GuardedBy("this") private final List<String> buyers = new ArrayList<>();
        private final ConcurrentHashMap<String, Integer> byName = new ConcurrentHashMap<>();
        private final List<String> log = new ArrayList<>();         // a final reference to a list nobody guards
        private int sold;                                            // no rule at all
        static int offices;                                          // shared by every instance, no rule
    }

    @Test
    void eachFieldGetsItsRuleAndTheUncoveredOnesAreNamed() {
        Policy p = Policy.of(Office.class);
        List<String> rules = p.rows().stream().map(r -> r.field() + ": " + r.rule()).toList();
        assertEquals(List.of("seats: final", "lock: final", "open: volatile", "left: guarded by lock",
                "buyers: final; contents guarded by this", "byName: final", "log: final reference", "sold: none", "offices: none"), rules);
        assertEquals(List.of("log", "sold", "offices"), p.uncovered());
        assertEquals("static int", p.rows().get(8).kind());
        String text = p.toString();
        assertTrue(text.contains("thread-safety policy of Office"), text);
        assertTrue(text.contains("no rule for: log, sold, offices"), text);
    }

    @Test
    void aFullyDocumentedClassSaysThatOnlyItsMethodsCanStillBeWrong() {
        class Counter {
            @GuardedBy("this") private long count;
        }
        Policy p = Policy.of(Counter.class);
        assertEquals(List.of(), p.uncovered());
        assertTrue(p.toString().contains("every field has a rule"), p.toString());
    }

    @Test
    void nullSaysWhatToGive() {
        var e = assertThrows(IllegalArgumentException.class, () -> Policy.of(null));
        assertTrue(e.getMessage().contains("Policy.of(Counter.class)"), e.getMessage());
    }
}
