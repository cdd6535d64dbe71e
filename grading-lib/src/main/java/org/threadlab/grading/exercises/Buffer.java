package org.threadlab.grading.exercises;

/**
 * A first-in first-out buffer of fixed capacity shared by producer and consumer threads
 * (exercise bounded-buffer).
 *
 * @param <T> the items
 */
public interface Buffer<T> {
    /** Adds {@code item} at the end, waiting while the buffer is full. */
    void put(T item) throws InterruptedException;

    /** Removes and returns the first item, waiting while the buffer is empty. */
    T take() throws InterruptedException;

    /** How many items are in the buffer now. */
    int size();
}
