package org.threadlab.lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts {@code n} platform threads that wait at a latch and are released at the same moment, so
 * that they really overlap instead of one finishing before the next has started; then waits for
 * all of them. What lectures 09, 10, 13 and 14 need before every real-thread experiment.
 *
 * <pre>{@code
 * var counter = new Counter();
 * double seconds = Together.run(4, "adder", i -> { for (int k = 0; k < 1_000; k++) counter.n++; });
 * }</pre>
 */
public final class Together {
    private Together() {}

    /** One thread's body; {@code i} is its index, 0 to n-1. */
    @FunctionalInterface
    public interface Body {
        void run(int i) throws Exception;
    }

    /**
     * Runs {@code body} on {@code n} threads named {@code name-0 .. name-(n-1)}, released together;
     * returns the wall time in seconds from the release to the last thread's end. The first
     * exception a thread throws is rethrown here (after all threads ended). An interrupt of the
     * caller interrupts the threads.
     */
    public static double run(int n, String name, Body body) throws InterruptedException {
        if (n < 1) throw new IllegalArgumentException("give at least one thread, not " + n);
        var go = new CountDownLatch(1);
        var ready = new CountDownLatch(n);
        var failure = new AtomicReference<Throwable>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int me = i;
            threads.add(Thread.ofPlatform().name(name + "-" + i).start(() -> {
                ready.countDown();
                try {
                    go.await();
                    body.run(me);
                } catch (InterruptedException e) {
                    // stopped by an interrupt: end quietly
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        ready.await();                     // every thread exists and waits at the latch
        long start = System.nanoTime();
        go.countDown();
        try {
            for (Thread t : threads) t.join();
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            throw e;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error err) throw err;
        if (t != null) throw new IllegalStateException("a thread threw " + t, t);
        return seconds;
    }
}
