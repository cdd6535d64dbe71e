package org.threadlab.grading;

import org.threadlab.grading.exercises.Account;
import org.threadlab.grading.exercises.ArraySum;


/** Deliberately wrong implementations, to prove the tests catch them and say why (right ones are graded by the real grader in the grading suite). */
final class Impls {
    private Impls() {}

    // ---- bank-account ----

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

    // ---- parallel-sum ----

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
