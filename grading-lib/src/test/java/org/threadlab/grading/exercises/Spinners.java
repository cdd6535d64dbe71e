package org.threadlab.grading.exercises;

import java.util.concurrent.atomic.AtomicBoolean;

/** Twice as many spinning threads as cores, and one more: at every moment some of them wait for a core, whatever else runs. */
final class Spinners implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread[] threads = new Thread[2 * Runtime.getRuntime().availableProcessors() + 1];

    Spinners() throws InterruptedException {
        for (int i = 0; i < threads.length; i++) {
            threads[i] = Thread.ofPlatform().daemon().start(() -> {
                while (!stop.get()) Thread.onSpinWait();
            });
        }
        Thread.sleep(100);   // all of them running before anything is measured
    }

    int count() {
        return threads.length;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) t.join();
    }
}
