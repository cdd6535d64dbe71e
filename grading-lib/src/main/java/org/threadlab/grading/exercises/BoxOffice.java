package org.threadlab.grading.exercises;

import java.util.List;

/**
 * The seats of one show, sold by many threads at once (exercise find-the-bug). Its written policy:
 * the number of seats never changes; {@link #close()} stops the sales for every thread; the seats
 * left and the buyers are guarded by the office's own lock ({@code synchronized (office)}), so a
 * caller may hold that lock to make several calls one step. Whatever the threads do,
 * {@code left() + buyers().size() == seats()} and {@code left() >= 0}.
 */
public interface BoxOffice {
    /** The number of seats, fixed by the constructor. */
    int seats();

    /** Stops the sales: a {@link #buy} that starts after this returned, on any thread, returns false. */
    void close();

    /** The seats not sold yet. */
    int left();

    /** Who bought, in the order of the sales: a copy, which later sales do not change and whose changes change nothing. */
    List<String> buyers();

    /** Sells one seat to {@code who}: false (and no change) when the sales are closed or no seat is left. */
    boolean buy(String who);
}
