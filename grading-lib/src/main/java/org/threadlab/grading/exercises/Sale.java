package org.threadlab.grading.exercises;

import java.io.Serializable;
import java.util.List;

/**
 * A box office (find-the-bug) for the schedule engine: {@link #buyA} and {@link #buyB} each buy
 * one seat, {@link #read} reads who bought. A failure prints the line that runs the same search in a notebook:
 *
 * <pre>{@code
 * interleave(() -> new Sale(FixedBoxOffice::new, 1), Sale::buyA, Sale::buyB).firstFailure(s -> s.ok())
 * }</pre>
 */
public final class Sale implements Serializable {
    public final BoxOffice office;
    public final int seats;
    public boolean a;
    public boolean b;
    /** The buyers the reader saw, joined by commas, or null before it read. */
    public String seen;

    public Sale(IntFactory<BoxOffice> make, int seats) {
        this.seats = seats;
        office = make.apply(seats);
    }

    public void buyA() {
        a = office.buy("a");
    }

    public void buyB() {
        b = office.buy("b");
    }

    /** Reads the buyers and goes through the list, as a caller printing it would. */
    public void read() {
        seen = String.join(",", office.buyers());
    }

    /** As many sales as seats allow (min(seats, 2)), each seat to one buyer, and the counts agree. */
    public boolean ok() {
        int sold = (a ? 1 : 0) + (b ? 1 : 0);
        List<String> buyers = office.buyers();
        return sold == Math.min(seats, 2) && office.left() == seats - sold && buyers.size() == sold
                && (!a || buyers.contains("a")) && (!b || buyers.contains("b"));
    }

    /** With A buying and C reading: A got a seat, and the reader saw the list before the sale or after it. */
    public boolean readOk() {
        return a && ("".equals(seen) || "a".equals(seen)) && office.buyers().equals(List.of("a"));
    }

    @Override
    public String toString() {
        return "a bought: " + a + ", b bought: " + b + ", left=" + office.left() + ", buyers=" + office.buyers()
                + (seen == null ? "" : ", the reader saw [" + seen + "]");
    }
}
