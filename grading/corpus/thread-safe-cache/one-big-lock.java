// corpus: buggy
// what: a synchronized get around a HashMap: safe, and each key loads once, but every request waits for every other request's load, even of another key
// must fail: different keys load at the same time
class ThreadSafeCache<K, V> implements Cache<K, V> {
    private final Map<K, V> values = new HashMap<>();
    private final Function<K, V> loader;
    ThreadSafeCache(Function<K, V> loader) { this.loader = loader; }
    public synchronized V get(K key) {
        V v = values.get(key);
        if (v == null) {
            v = loader.apply(key);
            values.put(key, v);
        }
        return v;
    }
    public synchronized int size() { return values.size(); }
}
