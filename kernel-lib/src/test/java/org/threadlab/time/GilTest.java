package org.threadlab.time;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class GilTest {

    @ParameterizedTest(name = "fair = {0}")
    @ValueSource(booleans = {true, false})
    void gilNeverLetsTwoThreadsRunInsideAtOnce(boolean fair) throws Exception {
        Gil gil = new Gil(0.05, fair);   // a tiny interval: thousands of hand-overs, each a chance to break
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    for (int rep = 0; rep < 20; rep++) {
                        gil.run(() -> {
                            for (int i = 0; i < 20_000; i++) {
                                int now = inside.incrementAndGet();
                                most.accumulateAndGet(now, Math::max);
                                Work.count(20);
                                inside.decrementAndGet();
                                gil.checkpoint();
                                if (i % 5_000 == id) gil.io(Thread::yield);
                            }
                        });
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "gil-test-" + t);
            list.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : list) th.join(60_000);
        assertNull(failure.get(), () -> "a worker failed: " + failure.get());
        Gil.GilStats s = gil.stats();
        assertEquals(1, most.get(), "threads inside the GIL at once, counted by the work itself");
        assertEquals(1, s.maxInside(), "threads inside the GIL at once, counted by the GIL");
        assertTrue(s.handoffs() >= threads - 1, "every thread should have had the GIL: " + s);
        assertTrue(s.ioReleases() >= threads, "io() should release the GIL: " + s);
    }

    @Test
    void holderHandsOverToWaitingThreadAtCheckpoints() throws Exception {
        Gil gil = new Gil(1);
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch secondRan = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean secondRanWhileFirstInside = new java.util.concurrent.atomic.AtomicBoolean();
        Thread first = new Thread(() -> gil.run(() -> {
            firstInside.countDown();
            // runs until the second thread got a turn: without hand-over that never happens (bounded for safety)
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (secondRan.getCount() > 0 && System.nanoTime() < deadline) gil.checkpoint();
            secondRanWhileFirstInside.set(secondRan.getCount() == 0);
        }));
        first.start();
        assertTrue(firstInside.await(30, TimeUnit.SECONDS));
        Thread second = new Thread(() -> gil.run(secondRan::countDown));
        second.start();
        assertTrue(secondRan.await(30, TimeUnit.SECONDS), "the waiting thread never got the GIL");
        first.join(30_000);
        second.join(30_000);
        assertTrue(gil.stats().forcedSwitches() >= 1, gil.stats().toString());
        assertTrue(secondRanWhileFirstInside.get(), "the holder kept the GIL to the end");
    }

    @Test
    void ioReleasesTheGilWhileItBlocks() throws Exception {
        Gil gil = new Gil();
        CountDownLatch inIo = new CountDownLatch(1);
        CountDownLatch leaveIo = new CountDownLatch(1);
        Thread blocker = new Thread(() -> gil.run(() -> gil.io(() -> {
            inIo.countDown();
            try {
                leaveIo.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })));
        blocker.start();
        assertTrue(inIo.await(30, TimeUnit.SECONDS));
        CountDownLatch otherRan = new CountDownLatch(1);
        Thread other = new Thread(() -> gil.run(otherRan::countDown));
        other.start();
        assertTrue(otherRan.await(30, TimeUnit.SECONDS), "another thread could not run while one was in io()");
        assertTrue(blocker.isAlive(), "the blocking call should still be waiting");
        leaveIo.countDown();
        blocker.join(30_000);
        assertFalse(gil.heldByCurrentThread());
        assertEquals(1, gil.stats().ioReleases());
    }

    @Test
    void waitingForTheGilCanBeInterrupted() throws Exception {
        Gil gil = new Gil();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> gil.run(() -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        holder.start();
        assertTrue(held.await(30, TimeUnit.SECONDS));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                gil.run(() -> { });
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        waiter.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(Thread.State.WAITING, waiter.getState(), "the waiter should be queued for the GIL");
        waiter.interrupt();
        waiter.join(30_000);
        assertFalse(waiter.isAlive());
        assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(thrown.get().getMessage().contains("interrupted"));
        release.countDown();
        holder.join(30_000);
    }

    @Test
    void recordingShowsHoldsThatNeverOverlap() throws Exception {
        Gil gil = new Gil(0.2).record();
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread th = new Thread(() -> gil.run(() -> {
                for (int i = 0; i < 4; i++) {
                    Work.count(300_000, gil);
                    gil.io(Thread::yield);
                }
            }), "rec-" + t);
            list.add(th);
            th.start();
        }
        for (Thread th : list) th.join(60_000);
        List<org.threadlab.display.Activity> holds = gil.activities().stream()
                .filter(a -> a.category().equals(Gil.RUNS)).toList();
        assertTrue(holds.size() >= 3, "every thread held the GIL at least once: " + holds.size());
        assertEquals(3, holds.stream().map(org.threadlab.display.Activity::row).distinct().count());
        for (int i = 1; i < holds.size(); i++) {
            assertTrue(holds.get(i).startNanos() >= holds.get(i - 1).endNanos(),
                    "two holds overlap: " + holds.get(i - 1) + " and " + holds.get(i));
        }
        assertTrue(gil.activities().stream().anyMatch(a -> a.category().equals(Gil.IO)), "I/O was recorded");
        assertTrue(gil.timeline().toString().contains("3 threads"));
    }

    @Test
    void activitiesWithoutRecordingSayHowToRecord() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Gil().activities());
        assertTrue(e.getMessage().contains("gil.record()"), e.getMessage());
    }

    @Test
    void checkpointOutsideRunSaysHowToFix() {
        Gil gil = new Gil();
        IllegalStateException e = assertThrows(IllegalStateException.class, gil::checkpoint);
        assertTrue(e.getMessage().contains("gil.run"), e.getMessage());
        gil.run(() -> gil.checkpoint());
        assertThrows(IllegalStateException.class, gil::checkpoint, "also right after the GIL was released");
    }

    @Test
    void executorRunsTasksOneAtATimeAndReturnsResults() throws Exception {
        Gil gil = new Gil(0.5);
        AtomicInteger inside = new AtomicInteger(), most = new AtomicInteger();
        List<java.util.concurrent.Future<Long>> results = new ArrayList<>();
        try (var pool = gil.executor(4)) {
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    long r = Work.count(100_000);
                    inside.decrementAndGet();
                    return r;
                }));
            }
            for (var f : results) assertEquals(Work.count(100_000), f.get(60, TimeUnit.SECONDS));
        }
        assertEquals(1, most.get());
        assertEquals(16, gil.stats().acquisitions());
    }

    @Test
    void badSwitchIntervalIsRefusedWithTheDefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Gil(0));
        assertTrue(e.getMessage().contains("default is 5"), e.getMessage());
    }
}
