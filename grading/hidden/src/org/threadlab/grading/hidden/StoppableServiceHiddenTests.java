package org.threadlab.grading.hidden;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Gate;
import org.threadlab.grading.HiddenTests;
import org.threadlab.grading.Points;
import org.threadlab.grading.exercises.Make;
import org.threadlab.grading.exercises.ServiceProbes;
import org.threadlab.grading.exercises.ServiceProbes.HeldJob;
import org.threadlab.grading.exercises.ServiceProbes.Stopper;
import org.threadlab.grading.exercises.StoppableService;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hidden tests of stoppable-service: interrupts. Bounds are wide (a job sleeps 60 s; "promptly"
 * means within 5 s), so only a service that does not interrupt, or loses an interrupt, fails.
 */
@HiddenTests("stoppable-service")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class StoppableServiceHiddenTests {
    private final Make<StoppableService> make = Exercises.STOPPABLE_SERVICE.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(30)
    @DisplayName("stop() interrupts the running job: a job sleeping for a minute ends at once")
    void stopInterruptsTheRunningJob() throws InterruptedException {
        StoppableService s = make.get();
        s.start();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        AtomicReference<Thread> worker = new AtomicReference<>();
        s.submit(() -> {
            worker.set(Thread.currentThread());
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                sawInterrupt.set(true);
                Thread.currentThread().interrupt();   // a well-behaved job passes it on
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS), "the job submitted did not start within 10 s");
        Stopper st = Stopper.start(s);
        if (!st.awaitReturn(5_000)) {
            worker.get().interrupt();
            fail("stop() still waited 5 s later while the running job slept for a minute: stop() must interrupt the worker "
                    + "thread, so that a job waiting in sleep(), wait() or take() ends early");
        }
        worker.get().join(5_000);
        assertFalse(worker.get().isAlive(), "the worker thread still ran 5 s after stop() returned");
        assertTrue(sawInterrupt.get(), "the running job never saw an interrupt: stop() must interrupt the worker thread");
    }

    @Test
    @Order(2)
    @Points(1)
    @Timeout(30)
    @DisplayName("a job that swallows the interrupt does not keep the service going: the waiting job still never runs")
    void aJobSwallowingTheInterruptDoesNotKeepItGoing() throws InterruptedException {
        StoppableService s = make.get();
        s.start();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        AtomicInteger secondRan = new AtomicInteger();
        Runnable first = () -> {
            worker.set(Thread.currentThread());
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // swallowed: a badly written job; the interrupt status is now cleared
            }
        };
        Runnable second = secondRan::incrementAndGet;
        s.submit(first);
        assertTrue(started.await(10, TimeUnit.SECONDS), "the job submitted did not start within 10 s");
        s.submit(second);
        Stopper st = Stopper.start(s);
        if (!st.awaitReturn(5_000)) {
            worker.get().interrupt();
            fail("stop() did not return within 5 s when the running job swallowed the interrupt"
                    + (secondRan.get() > 0 ? " (and the waiting job ran)" : "")
                    + ": the worker went on (back to take(), or to the next job) because its interrupt status was cleared. Do not "
                    + "rely on the interrupt alone: keep a stopped flag (volatile, or read and written under a lock) and check it "
                    + "before taking the next job");
        }
        worker.get().join(5_000);
        assertEquals(0, secondRan.get(), "the job that was still waiting ran after stop(), because the running job swallowed the "
                + "interrupt: check a stopped flag (volatile, or under a lock) before taking the next job, not only the interrupt status");
        List<Runnable> left = st.left;
        assertTrue(left != null && left.size() == 1 && left.get(0) == second, "stop() returned "
                + ServiceProbes.describe(left, List.of(first, second)) + " instead of [the job submitted 2nd]");
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(30)
    @DisplayName("an interrupt of the thread calling stop() is passed on: stop() still waits for the worker, then restores it")
    void callersInterruptIsPassedOn() throws InterruptedException {
        var busy = ServiceProbes.StopWhileBusy.start(make);
        HeldJob job = busy.job();
        Stopper st = busy.stopper();
        CountDownLatch gate = busy.gate();
        try {
            assertTrue(Gate.waitUntilWaiting(st.thread, 5_000), "stop() did not wait while a job was running: it must wait until "
                    + "the worker thread has ended (join() it)");
            st.thread.interrupt();
            // a stop() that swallows the interrupt returns now or soon; a right one waits again (for the job, still held)
            Gate.waitUntilWaiting(st.thread, 2_000);
        } finally {
            gate.countDown();
        }
        assertTrue(st.awaitReturn(10_000), "stop() did not return within 10 s of the running job's end, after its caller was interrupted");
        assertTrue(st.jobFinishedAtReturn, "stop() returned while the job still ran, as soon as its caller was interrupted: catch "
                + "InterruptedException, remember it, and keep waiting for the worker (join() again)");
        job.thread.join(5_000);
        assertFalse(job.thread.isAlive(), "the worker thread still ran 5 s after stop() returned");
        assertTrue(st.interruptedAtReturn, "stop()'s caller was interrupted while it waited, and stop() returned with the interrupt "
                + "status cleared: the interrupt was swallowed. Remember it and call Thread.currentThread().interrupt() before returning");
    }
}
