package org.threadlab.grading.exercises;

/**
 * A cache that many threads use at once (exercise thread-safe-cache). Values come from a loader
 * given to the cache's constructor: a slow function, such as a database query, computed at most
 * once per key.
 *
 * @param <K> the keys
 * @param <V> the values
 */
public interface Cache<K, V> {
    /**
     * The value for {@code key}: the cached one, or else the loader's result, which is then
     * cached. However many threads ask for the same key at the same time, the loader runs once for
     * it and they all get that value. Loads of different keys may run at the same time. If the
     * loader throws, {@code get} throws too and nothing is cached for that key.
     */
    V get(K key);

    /** How many keys hold a value now. */
    int size();
}
