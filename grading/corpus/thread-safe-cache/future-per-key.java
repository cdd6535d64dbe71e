// corpus: correct
// what: a CompletableFuture per key, put with putIfAbsent: the thread that put it loads, the others wait on its future; a failed future is removed so the next get tries again
class ThreadSafeCache<K, V> implements Cache<K, V> {
    private final ConcurrentHashMap<K, CompletableFuture<V>> values = new ConcurrentHashMap<>();
    private final Function<K, V> loader;
    ThreadSafeCache(Function<K, V> loader) { this.loader = loader; }
    public V get(K key) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> f = values.putIfAbsent(key, mine);
        if (f == null) {
            f = mine;
            try {
                mine.complete(loader.apply(key));
            } catch (RuntimeException e) {
                values.remove(key, mine);
                mine.completeExceptionally(e);
            }
        }
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
    public int size() { return values.size(); }
}
