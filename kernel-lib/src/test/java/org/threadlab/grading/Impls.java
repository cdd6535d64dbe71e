package org.threadlab.grading;

import org.threadlab.grading.exercises.Account;
import org.threadlab.grading.exercises.ArraySum;
import org.threadlab.grading.exercises.Buffer;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/** Right and deliberately wrong implementations, to prove the tests tell them apart. */
final class Impls {
    private Impls() {}

    // ---- bank-account ----

    /** The solution: one lock per account, taken in id order so opposite transfers cannot deadlock. */
    static final class GoodAccount implements Account {
        private static final AtomicLong IDS = new AtomicLong();
        private final long id = IDS.incrementAndGet();
        private long balance;

        GoodAccount(long opening) {
            balance = opening;
        }

        public synchronized long balance() { return balance; }
        public synchronized void deposit(long amount) { balance += amount; }
        public synchronized boolean withdraw(long amount) {
            if (balance < amount) return false;
            balance -= amount;
            return true;
        }
        public boolean transfer(Account to, long amount) {
            GoodAccount other = (GoodAccount) to;
            GoodAccount first = id < other.id ? this : other;
            GoodAccount second = first == this ? other : this;
            synchronized (first) {
                synchronized (second) {
                    if (balance < amount) return false;
                    balance -= amount;
                    other.balance += amount;
                    return true;
                }
            }
        }
    }

    /** No synchronization at all: loses deposits and money in transfers. */
    static final class RacyAccount implements Account {
        private long balance;
        RacyAccount(long opening) { balance = opening; }
        public long balance() { return balance; }
        public void deposit(long amount) { balance += amount; }
        public boolean withdraw(long amount) {
            if (balance < amount) return false;
            balance -= amount;
            return true;
        }
        public boolean transfer(Account to, long amount) {
            if (!withdraw(amount)) return false;
            to.deposit(amount);
            return true;
        }
    }

    /** Locks sender then receiver: right sums, but opposite transfers deadlock. */
    static final class DeadlockingAccount implements Account {
        private long balance;
        DeadlockingAccount(long opening) { balance = opening; }
        public synchronized long balance() { return balance; }
        public synchronized void deposit(long amount) { balance += amount; }
        public synchronized boolean withdraw(long amount) {
            if (balance < amount) return false;
            balance -= amount;
            return true;
        }
        public boolean transfer(Account to, long amount) {
            synchronized (this) {
                synchronized (to) {
                    if (balance < amount) return false;
                    balance -= amount;
                    ((DeadlockingAccount) to).balance += amount;
                    return true;
                }
            }
        }
    }

    /**
     * The same lock order bug, with a meeting point between the two locks: two opposite transfers
     * each hold their first lock before either takes its second, so they deadlock every time they run
     * at once (the barrier gives up after 2 s, for transfers that run alone).
     */
    static final class MeetingDeadlockingAccount implements Account {
        private static final java.util.concurrent.CyclicBarrier MEET = new java.util.concurrent.CyclicBarrier(2);
        private long balance;
        MeetingDeadlockingAccount(long opening) { balance = opening; }
        public synchronized long balance() { return balance; }
        public synchronized void deposit(long amount) { balance += amount; }
        public synchronized boolean withdraw(long amount) {
            if (balance < amount) return false;
            balance -= amount;
            return true;
        }
        public boolean transfer(Account to, long amount) {
            synchronized (this) {
                try {
                    MEET.await(2, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    MEET.reset();
                }
                synchronized (to) {
                    if (balance < amount) return false;
                    balance -= amount;
                    ((MeetingDeadlockingAccount) to).balance += amount;
                    return true;
                }
            }
        }
    }

    /** What the generated exercise notebook holds. */
    static final class StubAccount implements Account {
        StubAccount(long opening) {}
        public long balance() { throw new UnsupportedOperationException("exercise bank-account: not done yet"); }
        public void deposit(long amount) { throw new UnsupportedOperationException("exercise bank-account: not done yet"); }
        public boolean withdraw(long amount) { throw new UnsupportedOperationException("exercise bank-account: not done yet"); }
        public boolean transfer(Account to, long amount) { throw new UnsupportedOperationException("exercise bank-account: not done yet"); }
    }

    // ---- bounded-buffer ----

    static final class GoodBuffer<T> implements Buffer<T> {
        private final Object[] items;
        private int head;
        private int count;

        GoodBuffer(int capacity) { items = new Object[capacity]; }

        public synchronized void put(T item) throws InterruptedException {
            while (count == items.length) wait();
            items[(head + count) % items.length] = item;
            count++;
            notifyAll();
        }

        @SuppressWarnings("unchecked")
        public synchronized T take() throws InterruptedException {
            while (count == 0) wait();
            T item = (T) items[head];
            items[head] = null;
            head = (head + 1) % items.length;
            count--;
            notifyAll();
            return item;
        }

        public synchronized int size() { return count; }
    }

    /** Never blocks and shares an unsynchronized deque. */
    static final class RacyBuffer<T> implements Buffer<T> {
        private final ArrayDeque<T> q = new ArrayDeque<>();
        RacyBuffer(int capacity) {}
        public void put(T item) { q.addLast(item); }
        public T take() throws InterruptedException {
            T t;
            while ((t = q.pollFirst()) == null) Thread.onSpinWait();
            return t;
        }
        public int size() { return q.size(); }
    }

    // ---- parallel-sum ----

    static long goodSum(long[] data, int threads) {
        long[] partial = new long[threads];
        Thread[] ts = new Thread[threads];
        int chunk = (data.length + threads - 1) / Math.max(1, threads);
        for (int t = 0; t < threads; t++) {
            int from = Math.min(data.length, t * chunk);
            int to = Math.min(data.length, from + chunk);
            int n = t;
            ts[t] = new Thread(() -> {
                long s = 0;
                for (int i = from; i < to; i++) s += data[i];
                partial[n] = s;
            });
            ts[t].start();
        }
        long total = 0;
        for (int t = 0; t < threads; t++) {
            try {
                ts[t].join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            total += partial[t];
        }
        return total;
    }

    static final ArraySum GOOD_SUM = Impls::goodSum;

    /** Correct but sequential. */
    static final ArraySum SEQUENTIAL_SUM = (data, threads) -> {
        long s = 0;
        for (long v : data) s += v;
        return s;
    };

    /** Set by the test when it is done: a spinning leftover would skew every later test of this JVM. */
    static volatile boolean releaseLoops;

    /** Ignores interrupts and loops until the test releases it: a student's endless loop. */
    static final ArraySum LOOPING_SUM = (data, threads) -> {
        while (!releaseLoops) {
            Thread.onSpinWait();
        }
        return 0;
    };
}
