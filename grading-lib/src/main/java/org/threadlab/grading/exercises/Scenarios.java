package org.threadlab.grading.exercises;

import java.io.Serializable;

/**
 * Small shared states for the schedule engine: each holds objects made by a student's class, and
 * each method is one thread's body. The tests run them under {@code interleave(...)}, and a
 * failure prints the line that runs the same search in a notebook:
 *
 * <pre>{@code
 * interleave(() -> new Scenarios.Transfers(BankAccount::new), Scenarios.Transfers::aToB, Scenarios.Transfers::bToA)
 *         .firstFailure(s -> s.total() == 200)
 * }</pre>
 *
 * Blocking calls wrap {@link InterruptedException}, since a thread body cannot throw it.
 */
public final class Scenarios {
    private Scenarios() {}

    /** Two accounts of 100 (bank-account): transfers both ways, deposits, withdrawals. */
    public static final class Transfers implements Serializable {
        public final Account a;
        public final Account b;

        public Transfers(LongFactory<Account> open) {
            a = open.apply(100);
            b = open.apply(100);
        }

        public void aToB() {
            a.transfer(b, 30);
        }

        public void bToA() {
            b.transfer(a, 20);
        }

        public void depositA() {
            a.deposit(10);
        }

        public void withdrawA() {
            a.withdraw(80);
        }

        public long total() {
            return a.balance() + b.balance();
        }

        @Override
        public String toString() {
            return "a=" + a.balance() + ", b=" + b.balance();
        }
    }

    /** A branch of 2 accounts of 1000 (fix-the-deadlock): transfers both ways. */
    public static final class Branch implements Serializable {
        public final Bank bank;

        public Branch(IntFactory<Bank> open) {
            bank = open.apply(2);
        }

        public void zeroToOne() {
            try {
                bank.transfer(0, 1, 300);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        public void oneToZero() {
            try {
                bank.transfer(1, 0, 200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        public long total() {
            return bank.balance(0) + bank.balance(1);
        }

        @Override
        public String toString() {
            return "account 0=" + bank.balance(0) + ", account 1=" + bank.balance(1);
        }
    }

    /** Three philosophers at a table (dining-philosophers), each eating once; who ate at once. */
    public static final class Table implements Serializable {
        public final Dinner dinner;
        public final int[] eating = new int[3];
        public int meals;
        public boolean neighboursAteTogether;

        public Table(IntFactory<Dinner> seat) {
            dinner = seat.apply(3);
        }

        private void dine(int p) {
            try {
                dinner.dine(p, () -> {
                    eating[p] = 1;
                    if (eating[(p + 1) % 3] == 1 || eating[(p + 2) % 3] == 1) neighboursAteTogether = true;
                    meals++;
                    eating[p] = 0;
                });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        public void zero() {
            dine(0);
        }

        public void one() {
            dine(1);
        }

        public void two() {
            dine(2);
        }

        public boolean ok() {
            return meals == 3 && !neighboursAteTogether;
        }

        @Override
        public String toString() {
            return "meals=" + meals + (neighboursAteTogether ? ", two neighbours ate at once" : "");
        }
    }

    /** A buffer of capacity 1 (bounded-buffer): one producer puts 1 and 2, two consumers take one each. */
    public static final class Handoff implements Serializable {
        public final Buffer<Integer> buffer;
        public Integer first;
        public Integer second;

        public Handoff(IntFactory<Buffer<Integer>> make) {
            buffer = make.apply(1);
        }

        public void putTwo() {
            try {
                buffer.put(1);
                buffer.put(2);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        public void takeFirst() {
            try {
                first = buffer.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        public void takeSecond() {
            try {
                second = buffer.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Each item came out once: {1, 2} in either order, and the buffer is empty. */
        public boolean ok() {
            return first != null && second != null && first + second == 3 && !first.equals(second) && buffer.size() == 0;
        }

        @Override
        public String toString() {
            return "taken " + first + " and " + second + ", size " + buffer.size();
        }
    }

    /**
     * A limiter (limiter): threads run work through it; the most inside at once. The counters are
     * atomic, since with more than one permit several threads are rightly inside together.
     */
    public static final class Permits implements Serializable {
        public final Limiter limiter;
        public final int permits;
        public final java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        public final java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        public final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();

        public Permits(IntFactory<Limiter> make, int permits) {
            this.permits = permits;
            limiter = make.apply(permits);
        }

        public void enter() {
            try {
                limiter.run(() -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    inside.decrementAndGet();
                    done.incrementAndGet();
                });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Never more than the permits inside, and every thread got in. */
        public boolean ok(int threads) {
            return most.get() <= permits && done.get() == threads;
        }

        @Override
        public String toString() {
            return "at most " + most.get() + " inside at once (permits: " + permits + "), " + done.get() + " ran";
        }
    }

    /** A lock (ticket-lock) guarding a plain counter: each thread adds 1 in two steps. */
    public static final class Tickets implements Serializable {
        public final FairLock lock;
        public int n;

        public Tickets(Make<FairLock> make) {
            lock = make.get();
        }

        public void inc() {
            try {
                lock.lock();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            try {
                int t = n;
                n = t + 1;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return "n=" + n;
        }
    }
}
