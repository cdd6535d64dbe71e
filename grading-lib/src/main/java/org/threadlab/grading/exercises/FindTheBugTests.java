package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Explore;
import org.threadlab.grading.Points;
import org.threadlab.interleave.Interleaving;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Visible tests of find-the-bug. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class FindTheBugTests {
    private final IntFactory<BoxOffice> make = Exercises.FIND_THE_BUG.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(20)   // one thread, instant when right; the limit only stops a hang, on a machine that may be very busy
    @DisplayName("one thread: each seat sold once, then refused; close() stops the sales")
    void oneThread() {
        BoxOffice office = make.apply(3);
        assertEquals(3, office.seats(), "seats() should be the number given to the constructor");
        assertEquals(3, office.left(), "a new office of 3 seats should have 3 left");
        assertTrue(office.buy("ann") && office.buy("bob") && office.buy("cy"), "3 buys from 3 seats should all succeed");
        assertFalse(office.buy("dan"), "a 4th buy from 3 seats should return false");
        assertEquals(0, office.left(), "after selling 3 of 3 seats left() should be 0");
        assertEquals(List.of("ann", "bob", "cy"), office.buyers(), "buyers() should list who bought, in the order of the sales");
        BoxOffice other = make.apply(5);
        assertTrue(other.buy("eve"), "buying from a new office of 5 seats should succeed");
        other.close();
        assertFalse(other.buy("fay"), "a buy after close() should return false");
        assertEquals(4, other.left(), "a refused buy must not change left()");
        assertEquals(List.of("eve"), other.buyers(), "a refused buy must not add a buyer");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(20)   // one thread, instant when right; the limit only stops a hang, on a machine that may be very busy
    @DisplayName("buyers() is a copy: later sales do not change it, changing it changes nothing")
    void buyersIsACopy() {
        BoxOffice office = make.apply(3);
        office.buy("ann");
        List<String> before = office.buyers();
        office.buy("bob");
        assertEquals(List.of("ann"), before, "a list from buyers() changed when a seat was sold later: it is a view of the office's "
                + "guarded list, which the caller then reads without the lock. Return a copy (List.copyOf(buyers)) made under the lock");
        try {
            office.buyers().clear();
        } catch (UnsupportedOperationException fine) {
            // an unmodifiable copy is a copy too
        }
        assertEquals(List.of("ann", "bob"), office.buyers(), "clearing the list buyers() returned emptied the office's own list: "
                + "hand out a copy, never the guarded list itself");
    }

    @Test
    @Order(3)
    @Points(3)
    @Timeout(120)
    @DisplayName("two buyers for the last seat: exactly one gets it, under every schedule the engine tries")
    void lastSeat() {
        String cls = Explore.className(make.apply(1));
        var made = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        Explore.noFailure("two threads each buy from an office with 1 seat",
                "interleave(() -> new Sale(" + cls + "::new, 1), Sale::buyA, Sale::buyB).firstFailure(s -> s.ok())",
                Interleaving.of(() -> new Sale(made, 1), Sale::buyA, Sale::buyB), s -> s.ok(), made);
    }
}
