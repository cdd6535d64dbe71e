// corpus: correct
// what: lecture 11's version: a semaphore of free slots, one of filled slots, and a lock around the ring
// suite: no (graded by ./threadlab bench grade-accuracy)
class BoundedBuffer<T> implements Buffer<T> {
    private final Object[] items;
    private int head, count;
    private final Semaphore free, filled = new Semaphore(0);
    BoundedBuffer(int capacity) { items = new Object[capacity]; free = new Semaphore(capacity); }
    public void put(T item) throws InterruptedException {
        free.acquire();
        synchronized (this) {
            items[(head + count) % items.length] = item;
            count++;
        }
        filled.release();
    }
    @SuppressWarnings("unchecked")
    public T take() throws InterruptedException {
        filled.acquire();
        T item;
        synchronized (this) {
            item = (T) items[head];
            items[head] = null;
            head = (head + 1) % items.length;
            count--;
        }
        free.release();
        return item;
    }
    public synchronized int size() { return count; }
}
