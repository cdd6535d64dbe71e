package org.threadlab.interleave;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TurnsTest {

    /** Runners pass a baton: run(me, next) waits until it is turn me, then gives the turn to next. */
    static class Relay {
        int turn;
        String order = "";
        final boolean all;

        Relay(boolean notifyAll) {
            all = notifyAll;
        }

        synchronized void run(int me, int next) throws InterruptedException {
            while (turn != me) wait();
            order += (char) ('A' + me);
            turn = next;
            if (all) notifyAll();
            else notify();
        }
    }

    /** The same with one condition per runner, or one condition for all. */
    static class ConditionRelay {
        final ReentrantLock lock = new ReentrantLock();
        final Condition[] turnOf;
        int turn;

        ConditionRelay(boolean perRunner) {
            Condition shared = lock.newCondition();
            turnOf = new Condition[]{perRunner ? lock.newCondition() : shared, perRunner ? lock.newCondition() : shared,
                    perRunner ? lock.newCondition() : shared, shared};
        }

        void run(int me, int next) throws InterruptedException {
            lock.lock();
            try {
                while (turn != me) turnOf[me].await();
                turn = next;
                turnOf[next].signal();
            } finally {
                lock.unlock();
            }
        }
    }

    static <R> Turns.Result relay(R r, RelayCall<R> run) {
        return Turns.of(r)
                .then("B", "waits for turn 1", x -> run.run(x, 1, 3))
                .then("C", "waits for turn 2", x -> run.run(x, 2, 1))
                .then("A", "passes to C", x -> run.run(x, 0, 2))
                .run();
    }

    interface RelayCall<R> {
        void run(R r, int me, int next) throws InterruptedException;
    }

    @Test
    @Timeout(30)
    void notifyWakesTheLongestWaiterWhichWaitsAgainAndTheWakeUpIsLost() throws InterruptedException {
        Relay r = new Relay(false);
        Turns.Result res = relay(r, Relay::run);
        assertTrue(res.stuck(), res.toString());
        assertEquals(List.of("B", "C"), res.waiting(), res.toString());
        assertEquals("A", r.order);
        assertTrue(res.returned(3));
        assertTrue(res.rows().get(2).meanwhile().contains("B woke, waits again"), res.toString());
        assertEquals("waits", res.rows().get(0).then());
        // the threads still waiting were interrupted and ended: nothing outlives the run
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("turns-")) {
                t.join(2_000);
                assertFalse(t.isAlive(), t.getName() + " outlived the run");
            }
        }
    }

    @Test
    @Timeout(30)
    void notifyAllLetsEveryRunnerThroughInOrder() {
        Relay r = new Relay(true);
        Turns.Result res = relay(r, Relay::run);
        assertFalse(res.stuck(), res.toString());
        assertEquals("every call returned", res.outcome());
        assertEquals("ACB", r.order);
        assertFalse(res.returnedBeforeStep(1, 3), "B went before A passed the turn: " + res);
        assertTrue(res.returned(1) && res.returnedBeforeStep(3, 4), res.toString());
    }

    @Test
    @Timeout(30)
    void oneSharedConditionLosesTheSignalAndOnePerRunnerDoesNot() {
        assertTrue(relay(new ConditionRelay(false), ConditionRelay::run).stuck());
        assertFalse(relay(new ConditionRelay(true), ConditionRelay::run).stuck());
    }

    @Test
    @Timeout(30)
    void aThreadStillWaitingDoesNotStartItsNextCall() {
        Relay r = new Relay(true);
        Turns.Result res = Turns.of(r)
                .then("B", "waits for turn 1", x -> x.run(1, 3))
                .then("B", "again", x -> x.run(1, 3))
                .then("A", "passes to B", x -> x.run(0, 1))
                .run();
        assertTrue(res.rows().get(1).then().startsWith("not started: B still waits"), res.toString());
        assertTrue(res.returned(1));
        assertFalse(res.returned(2));
        assertFalse(res.stuck());
    }

    @Test
    @Timeout(30)
    void aCallThatThrowsIsReported() {
        Turns.Result res = Turns.of(new Object()).then("A", "throws", x -> { throw new IllegalStateException("boom"); }).run();
        assertEquals("threw java.lang.IllegalStateException: boom", res.rows().get(0).then());
        assertFalse(res.returned(1));
        assertThrows(IllegalArgumentException.class, () -> res.returned(2));
    }

    /** A thread blocked on {@code monitor} while {@code holder} owns it; both end when the test does. */
    private static Thread blockedBehind(Object monitor) throws InterruptedException {
        Thread t = new Thread(() -> {
            synchronized (monitor) {
                // entered once the holder lets go
            }
        }, "blocked-behind");
        t.setDaemon(true);
        t.start();
        while (t.getState() != Thread.State.BLOCKED) Thread.sleep(1);
        return t;
    }

    @Test
    @Timeout(30)
    void aThreadBlockedBehindAWaitingOwnerWaits() throws InterruptedException {
        Object monitor = new Object();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1), done = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (monitor) {
                held.countDown();
                try {
                    done.await();   // waits while it holds the monitor: whoever wants it waits too
                } catch (InterruptedException e) {
                    // the test is over
                }
            }
        });
        holder.start();
        held.await();
        while (holder.getState() != Thread.State.WAITING) Thread.sleep(1);
        Thread blocked = blockedBehind(monitor);
        try {
            assertTrue(Turns.waiting(blocked), "blocked on a monitor whose owner waits");
        } finally {
            done.countDown();
            holder.join();
            blocked.join();
        }
    }

    @Test
    @Timeout(30)
    void aThreadBlockedBehindARunningOwnerIsAboutToGoOn() throws InterruptedException {
        Object monitor = new Object();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (monitor) {
                held.countDown();
                while (!stop.get()) Thread.onSpinWait();   // runs while it holds the monitor
            }
        });
        holder.start();
        held.await();
        Thread blocked = blockedBehind(monitor);
        try {
            assertFalse(Turns.waiting(blocked), "blocked on a monitor whose owner runs: it goes on as soon as the owner lets go");
        } finally {
            stop.set(true);
            holder.join();
            blocked.join();
        }
    }
}
