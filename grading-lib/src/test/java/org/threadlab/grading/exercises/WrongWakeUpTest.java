package org.threadlab.grading.exercises;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forced wake-up of the wrong kind: found in a notify() buffer on every run, never in a right one. */
class WrongWakeUpTest {

    /** One monitor for both kinds, notify() (or notifyAll()) after each change. */
    static final class MonitorBuffer implements Buffer<Integer> {
        private final Integer[] items;
        private final boolean all;
        private int head, count;

        MonitorBuffer(int capacity, boolean all) {
            items = new Integer[capacity];
            this.all = all;
        }

        private void wake() {
            if (all) notifyAll();
            else notify();
        }

        public synchronized void put(Integer item) throws InterruptedException {
            while (count == items.length) wait();
            items[(head + count) % items.length] = item;
            count++;
            wake();
        }

        public synchronized Integer take() throws InterruptedException {
            while (count == 0) wait();
            Integer item = items[head];
            head = (head + 1) % items.length;
            count--;
            wake();
            return item;
        }

        public synchronized int size() {
            return count;
        }
    }

    static final class ConditionBuffer implements Buffer<Integer> {
        private final Integer[] items;
        private int head, count;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition notFull = lock.newCondition(), notEmpty = lock.newCondition();

        ConditionBuffer(int capacity) {
            items = new Integer[capacity];
        }

        public void put(Integer item) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                while (count == items.length) notFull.await();
                items[(head + count) % items.length] = item;
                count++;
                notEmpty.signal();
            } finally {
                lock.unlock();
            }
        }

        public Integer take() throws InterruptedException {
            lock.lockInterruptibly();
            try {
                while (count == 0) notEmpty.await();
                Integer item = items[head];
                head = (head + 1) % items.length;
                count--;
                notFull.signal();
                return item;
            } finally {
                lock.unlock();
            }
        }

        public int size() {
            lock.lock();
            try {
                return count;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Semaphores for the waiting and the buffer's own monitor for the array (as in the grading corpus). */
    static final class SemaphoreBuffer implements Buffer<Integer> {
        private final Integer[] items;
        private int head, count;
        private final Semaphore free, filled = new Semaphore(0);

        SemaphoreBuffer(int capacity) {
            items = new Integer[capacity];
            free = new Semaphore(capacity);
        }

        public void put(Integer item) throws InterruptedException {
            free.acquire();
            synchronized (this) {
                items[(head + count) % items.length] = item;
                count++;
            }
            filled.release();
        }

        public Integer take() throws InterruptedException {
            filled.acquire();
            Integer item;
            synchronized (this) {
                item = items[head];
                head = (head + 1) % items.length;
                count--;
            }
            free.release();
            return item;
        }

        public synchronized int size() {
            return count;
        }
    }

    @RepeatedTest(3)
    void aNotifyThatWakesTheWrongKindIsFoundOnEveryRun() throws InterruptedException {
        String lost = WrongWakeUp.find(c -> new MonitorBuffer(c, false));
        assertNotNull(lost);
        assertTrue(lost.contains("LOST WAKE-UP") && lost.contains("notifyAll()"), lost);
    }

    @RepeatedTest(3)
    void notifyAllIsNeverFailed() throws InterruptedException {
        assertNull(WrongWakeUp.find(c -> new MonitorBuffer(c, true)));
    }

    @Test
    void twoConditionsAndSemaphoresAreNeverFailed() throws InterruptedException {
        assertNull(WrongWakeUp.find(ConditionBuffer::new));
        // it also waits on its own monitor (briefly, for the array) while the producer holds it: left to the engine
        assertNull(WrongWakeUp.find(SemaphoreBuffer::new));
    }
}
