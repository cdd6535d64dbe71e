package org.threadlab.grading.livelock;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.exercises.Account;
import org.threadlab.grading.exercises.Bank;
import org.threadlab.grading.exercises.IntFactory;
import org.threadlab.grading.exercises.Livelock;
import org.threadlab.grading.exercises.LongFactory;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The livelock of two opposite transfers, forced on real threads: found in a back-off that retries
 * at once on every run, never in code whose threads can get on. (Its own package: the copies are
 * made of the classes of the subject's package.)
 */
class LivelockTest {

    /** The transfer's body between taking locks: what every branch below shares. */
    abstract static class Base implements Bank {
        final long[] balances;
        final ReentrantLock[] locks;

        Base(int accounts) {
            balances = new long[accounts];
            locks = new ReentrantLock[accounts];
            for (int i = 0; i < accounts; i++) {
                balances[i] = 1000;
                locks[i] = new ReentrantLock();
            }
        }

        boolean move(int from, int to, long amount) {
            if (balances[from] < amount) return false;
            balances[from] -= amount;
            balances[to] += amount;
            return true;
        }

        /** One go: the sender's lock, then {@code take} the receiver's; the transfer's result, or null when that failed (both let go). */
        Boolean once(int from, int to, long amount, Take take) throws InterruptedException {
            locks[from].lockInterruptibly();
            try {
                if (!take.lock(locks[to])) return null;
                try {
                    return move(from, to, amount);
                } finally {
                    locks[to].unlock();
                }
            } finally {
                locks[from].unlock();
            }
        }

        /** The lower-numbered account's lock first, each taken by {@code take} (which may spin on tryLock). */
        boolean inOrder(int from, int to, long amount, Take take) throws InterruptedException {
            ReentrantLock first = locks[Math.min(from, to)], second = locks[Math.max(from, to)];
            take.lock(first);
            try {
                take.lock(second);
                try {
                    return move(from, to, amount);
                } finally {
                    second.unlock();
                }
            } finally {
                first.unlock();
            }
        }

        public long balance(int account) {
            locks[account].lock();
            try {
                return balances[account];
            } finally {
                locks[account].unlock();
            }
        }
    }

    interface Take {
        boolean lock(ReentrantLock l) throws InterruptedException;
    }

    static final Take BLOCKING = l -> {
        l.lockInterruptibly();
        return true;
    };

    /** The corpus's former gap: tryLock the second lock; on failure let go of the first and retry at once. */
    static final class RetryAtOnce extends Base {
        RetryAtOnce(int accounts) {
            super(accounts);
        }

        public boolean transfer(int from, int to, long amount) throws InterruptedException {
            for (Boolean done; ; ) if ((done = once(from, to, amount, ReentrantLock::tryLock)) != null) return done;
        }
    }

    /** The same with a timed tryLock: both wait the same time, give up together, and retry. */
    static final class RetryAfterTimeout extends Base {
        RetryAfterTimeout(int accounts) {
            super(accounts);
        }

        public boolean transfer(int from, int to, long amount) throws InterruptedException {
            for (Boolean done; ; ) if ((done = once(from, to, amount, l -> l.tryLock(2, TimeUnit.MILLISECONDS))) != null) return done;
        }
    }

    /** The fix: the lower-numbered lock first. */
    static final class Ordered extends Base {
        Ordered(int accounts) {
            super(accounts);
        }

        public boolean transfer(int from, int to, long amount) throws InterruptedException {
            return inOrder(from, to, amount, BLOCKING);
        }
    }

    /** Ordered, but spinning on tryLock for each lock: both try the same first lock, so one always gets on. */
    static final class OrderedSpin extends Base {
        OrderedSpin(int accounts) {
            super(accounts);
        }

        public boolean transfer(int from, int to, long amount) throws InterruptedException {
            return inOrder(from, to, amount, l -> {
                while (!l.tryLock()) Thread.onSpinWait();
                return true;
            });
        }
    }

    /** Back-off with a random pause: a thread asleep is not waited for, so the other gets through. */
    static final class RandomPause extends Base {
        RandomPause(int accounts) {
            super(accounts);
        }

        public boolean transfer(int from, int to, long amount) throws InterruptedException {
            for (Boolean done; ; Thread.sleep(1 + ThreadLocalRandom.current().nextInt(5))) {
                if ((done = once(from, to, amount, ReentrantLock::tryLock)) != null) return done;
            }
        }
    }

    /** Three quick tries, then the locks in order: a bounded back-off gets on. */
    static final class ThreeTriesThenOrder extends Base {
        ThreeTriesThenOrder(int accounts) {
            super(accounts);
        }

        public boolean transfer(int from, int to, long amount) throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                Boolean done = once(from, to, amount, ReentrantLock::tryLock);
                if (done != null) return done;
            }
            return inOrder(from, to, amount, BLOCKING);
        }
    }

    /** One transfer at a time, behind a spin lock of its own (a flag, not a lock the test can step): one thread spins while the other tries. */
    static final class SpinGuarded extends Base {
        private final java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();

        SpinGuarded(int accounts) {
            super(accounts);
        }

        public boolean transfer(int from, int to, long amount) throws InterruptedException {
            while (!busy.compareAndSet(false, true)) Thread.onSpinWait();
            try {
                for (Boolean done; ; ) if ((done = once(from, to, amount, ReentrantLock::tryLock)) != null) return done;
            } finally {
                busy.set(false);
            }
        }
    }

    /** The production code: a lock-order deadlock, which is the other tests' to judge. */
    static final class Production extends Base {
        Production(int accounts) {
            super(accounts);
        }

        public boolean transfer(int from, int to, long amount) throws InterruptedException {
            // both hold their first lock before either asks for the second
            return once(from, to, amount, l -> {
                Thread.sleep(50);
                l.lockInterruptibly();
                return true;
            });
        }
    }

    /** Each account's lock in a helper class of the same package: the helper is copied too. */
    static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        long balance = 1000;
    }

    static final class SlotsRetryAtOnce implements Bank {
        private final Slot[] slots;

        SlotsRetryAtOnce(int accounts) {
            slots = new Slot[accounts];
            for (int i = 0; i < accounts; i++) slots[i] = new Slot();
        }

        public boolean transfer(int from, int to, long amount) throws InterruptedException {
            while (true) {
                slots[from].lock.lockInterruptibly();
                try {
                    if (slots[to].lock.tryLock()) {
                        try {
                            if (slots[from].balance < amount) return false;
                            slots[from].balance -= amount;
                            slots[to].balance += amount;
                            return true;
                        } finally {
                            slots[to].lock.unlock();
                        }
                    }
                } finally {
                    slots[from].lock.unlock();
                }
            }
        }

        public long balance(int account) {
            return slots[account].balance;
        }
    }

    /** Locks made on first use, by the transfers' own threads: those are stepped too. */
    static final class LazyLocksRetryAtOnce implements Bank {
        private final java.util.Map<Integer, ReentrantLock> locks = new java.util.concurrent.ConcurrentHashMap<>();
        private final long[] balances;

        LazyLocksRetryAtOnce(int accounts) {
            balances = new long[accounts];
            java.util.Arrays.fill(balances, 1000);
        }

        private ReentrantLock lock(int account) {
            return locks.computeIfAbsent(account, a -> new ReentrantLock());
        }

        public boolean transfer(int from, int to, long amount) throws InterruptedException {
            while (true) {
                lock(from).lockInterruptibly();
                try {
                    if (lock(to).tryLock()) {
                        try {
                            if (balances[from] < amount) return false;
                            balances[from] -= amount;
                            balances[to] += amount;
                            return true;
                        } finally {
                            lock(to).unlock();
                        }
                    }
                } finally {
                    lock(from).unlock();
                }
            }
        }

        public long balance(int account) {
            return balances[account];
        }
    }

    /** The bank-account exercise's shape: an account that transfers to another, backing off at once. */
    static final class BackOffAccount implements Account {
        private final ReentrantLock lock = new ReentrantLock();
        private long balance;

        BackOffAccount(long opening) {
            balance = opening;
        }

        public void deposit(long amount) {
            lock.lock();
            try {
                balance += amount;
            } finally {
                lock.unlock();
            }
        }

        public boolean withdraw(long amount) {
            lock.lock();
            try {
                if (balance < amount) return false;
                balance -= amount;
                return true;
            } finally {
                lock.unlock();
            }
        }

        public long balance() {
            lock.lock();
            try {
                return balance;
            } finally {
                lock.unlock();
            }
        }

        public boolean transfer(Account to, long amount) {
            BackOffAccount other = (BackOffAccount) to;
            while (true) {
                lock.lock();
                try {
                    if (other.lock.tryLock()) {
                        try {
                            if (balance < amount) return false;
                            balance -= amount;
                            other.balance += amount;
                            return true;
                        } finally {
                            other.lock.unlock();
                        }
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private static String find(IntFactory<Bank> open) throws InterruptedException {
        return Livelock.find(open);
    }

    @RepeatedTest(5)
    @Timeout(60)
    void retryingAtOnceIsALivelockOnEveryRun() throws InterruptedException {
        String found = find(RetryAtOnce::new);
        assertNotNull(found, "the back-off that retries at once was not kept in step");
        assertTrue(found.contains("LIVELOCK") && found.contains("one global order"), found);
    }

    @Test
    @Timeout(60)
    void retryingAfterTheSameTimeoutIsALivelock() throws InterruptedException {
        String found = find(RetryAfterTimeout::new);
        assertNotNull(found);
        assertTrue(found.contains("LIVELOCK"), found);
    }

    @Test
    @Timeout(60)
    void aLockHeldInAHelperClassIsSteppedToo() throws InterruptedException {
        assertNotNull(find(SlotsRetryAtOnce::new), "the helper class's lock was not swapped for a stepped one");
        // a second look at the same class reuses its copy
        assertNotNull(find(SlotsRetryAtOnce::new));
    }

    @Test
    @Timeout(60)
    void locksMadeOnFirstUseByTheTransfersAreSteppedToo() throws InterruptedException {
        assertNotNull(find(LazyLocksRetryAtOnce::new), "a lock made by a transfer's own thread was not stepped");
    }

    @Test
    @Timeout(60)
    void anAccountThatBacksOffAtOnceLivelocks() throws InterruptedException {
        LongFactory<Account> open = BackOffAccount::new;
        String found = Livelock.find(open);
        assertNotNull(found);
        assertTrue(found.contains("LIVELOCK"), found);
    }

    @RepeatedTest(3)
    @Timeout(60)
    void codeWhoseThreadsCanGetOnIsNeverCalledALivelock() throws InterruptedException {
        assertNull(find(Ordered::new), "locks in order");
        assertNull(find(OrderedSpin::new), "locks in order, by spinning on tryLock");
        assertNull(find(RandomPause::new), "a random pause before retrying");
        assertNull(find(ThreeTriesThenOrder::new), "three tries, then the locks in order");
        long start = System.nanoTime();
        assertNull(find(SpinGuarded::new), "one at a time behind a spin lock");
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "waited for a thread spinning elsewhere until stepping gave up");
    }

    @Test
    @Timeout(60)
    void aDeadlockIsLeftToTheOtherTestsAndItsThreadsEnd() throws InterruptedException {
        long start = System.nanoTime();
        assertNull(find(Production::new));
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "gave up on the deadlock late");
        assertEquals(0, Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("transfer ")).count(),
                "the deadlocked transfers were left running");
    }

    @Test
    void judgeFailsWithTheWordsAndAbortsWhenTooBusy() {
        assertEquals("a LIVELOCK", assertThrows(AssertionError.class, () -> Livelock.judge("a LIVELOCK")).getMessage());
        assertThrows(org.opentest4j.TestAbortedException.class, () -> Livelock.judge(Livelock.TOO_BUSY));
        Livelock.judge(null);
    }
}
