// corpus: buggy
// what: a lost wake-up: take waits with if, so a consumer woken after another took the item takes from an empty buffer
// must fail: capacity 1, a producer and two consumers: no lost wake-up, under every schedule the engine tries
class BoundedBuffer<T> implements Buffer<T> {
    private final Object[] items;
    private int head, count;
    BoundedBuffer(int capacity) { items = new Object[capacity]; }
    public synchronized void put(T item) throws InterruptedException {
        if (count == items.length) wait();
        items[(head + count) % items.length] = item;
        count++;
        notifyAll();
    }
    @SuppressWarnings("unchecked")
    public synchronized T take() throws InterruptedException {
        if (count == 0) wait();
        T item = (T) items[head];
        items[head] = null;
        head = (head + 1) % items.length;
        count--;
        notifyAll();
        return item;
    }
    public synchronized int size() { return count; }
}
