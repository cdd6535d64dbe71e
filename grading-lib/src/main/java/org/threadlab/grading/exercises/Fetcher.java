package org.threadlab.grading.exercises;

import java.net.URI;
import java.util.List;

/** Fetches web pages concurrently (exercise io-fetcher, lecture 06). */
@FunctionalInterface
public interface Fetcher {
    /**
     * The body of every page in {@code uris}, as text, in the order of {@code uris}; at most
     * {@code threads} requests are in flight at any moment, and every thread the call started
     * has ended when it returns.
     */
    List<String> fetchAll(List<URI> uris, int threads) throws Exception;
}
