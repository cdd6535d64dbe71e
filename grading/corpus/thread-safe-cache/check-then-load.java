// corpus: buggy
// what: get looks the key up in a ConcurrentHashMap and, when it is missing, loads and puts it: each step is thread-safe, but threads that miss at the same moment all load (a check-then-act race)
// must fail: many threads asking for one key at once load it once
class ThreadSafeCache<K, V> implements Cache<K, V> {
    private final ConcurrentHashMap<K, V> values = new ConcurrentHashMap<>();
    private final Function<K, V> loader;
    ThreadSafeCache(Function<K, V> loader) { this.loader = loader; }
    public V get(K key) {
        V v = values.get(key);
        if (v == null) {
            v = loader.apply(key);
            values.put(key, v);
        }
        return v;
    }
    public int size() { return values.size(); }
}
