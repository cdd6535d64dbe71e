// corpus: buggy
// what: producers and consumers wait on one monitor and notify() wakes just one, possibly of the wrong kind: everyone ends up waiting
// must fail: capacity 1, a producer and two consumers: no lost wake-up, under every schedule the engine tries
// suite: no (graded by ./threadlab bench grade-accuracy; the forced order that catches it is unit-tested in grading-lib, WrongWakeUpTest)
class BoundedBuffer<T> implements Buffer<T> {
    private final Object[] items;
    private int head, count;
    BoundedBuffer(int capacity) { items = new Object[capacity]; }
    public synchronized void put(T item) throws InterruptedException {
        while (count == items.length) wait();
        items[(head + count) % items.length] = item;
        count++;
        notify();
    }
    @SuppressWarnings("unchecked")
    public synchronized T take() throws InterruptedException {
        while (count == 0) wait();
        T item = (T) items[head];
        items[head] = null;
        head = (head + 1) % items.length;
        count--;
        notify();
        return item;
    }
    public synchronized int size() { return count; }
}
