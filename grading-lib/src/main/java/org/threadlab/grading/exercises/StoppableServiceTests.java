package org.threadlab.grading.exercises;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.threadlab.grading.Exercises;
import org.threadlab.grading.Explore;
import org.threadlab.grading.Gate;
import org.threadlab.grading.Points;
import org.threadlab.grading.exercises.ServiceProbes.HeldJob;
import org.threadlab.grading.exercises.ServiceProbes.Stopper;
import org.threadlab.interleave.Interleaving;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Visible tests of stoppable-service. Each situation is forced, never waited for with a sleep: a
 * job holds the worker until a gate opens, and the gate opens only once stop() has been waiting (a
 * right stop() waits for the worker) or has returned (a wrong one did not wait).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class StoppableServiceTests {
    private final Make<StoppableService> make = Exercises.STOPPABLE_SERVICE.subject();

    @Test
    @Order(1)
    @Points(1)
    @Timeout(30)
    @DisplayName("jobs run one at a time on one worker thread, in the order submitted, and stop() leaves no thread behind")
    void jobsInOrderOnOneThread() throws InterruptedException {
        ThreadCensus census = ThreadCensus.take();
        StoppableService s = make.get();
        s.start();
        int n = 20;
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int me = i;
            boolean accepted = s.submit(() -> {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                order.add(me);
                threads.add(Thread.currentThread());
                Thread.onSpinWait();
                inside.decrementAndGet();
                done.countDown();
            });
            assertTrue(accepted, "submit() returned false on a service that was started and not stopped");
        }
        assertTrue(done.await(10, TimeUnit.SECONDS), "only " + (n - done.getCount()) + " of " + n
                + " jobs ran within 10 s: the worker thread must take the jobs from the queue and run them");
        assertFalse(threads.contains(Thread.currentThread()), "a job ran on the thread that called submit(): submit() hands "
                + "the job to the worker thread and returns, it never runs it");
        assertEquals(1, threads.size(), "the jobs ran on " + threads.size() + " different threads: the service has one worker thread");
        assertEquals(1, most.get(), most.get() + " jobs ran at the same time: the worker runs them one at a time");
        List<Integer> want = new ArrayList<>();
        for (int i = 0; i < n; i++) want.add(i);
        assertEquals(want, order, "the jobs must run in the order they were submitted (a FIFO queue)");
        Thread worker = threads.iterator().next();

        Stopper st = Stopper.start(s);
        assertTrue(st.awaitReturn(5_000), "stop() did not return within 5 s on a service with nothing to do");
        assertTrue(st.left != null && st.left.isEmpty(), "stop() returned " + st.left + " although every job had run: "
                + "it returns the jobs that never ran, here none (an empty list, not null)");
        worker.join(5_000);   // whether stop() waited for it is the third test's question; here: does it end at all
        assertFalse(worker.isAlive(), "the worker thread still ran 5 s after stop() returned: stop() must end its loop");
        List<String> left = census.leftRunning(1_000);
        assertTrue(left.isEmpty(), "threads the service started still ran after stop() returned: " + left);
        Stopper again = Stopper.start(s);
        assertTrue(again.awaitReturn(5_000), "a second stop() did not return within 5 s");
        assertTrue(again.left != null && again.left.isEmpty(), "a second stop() returned " + again.left + " instead of an empty list");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(30)
    @DisplayName("stop() wakes a worker that waits for a job, and that thread ends")
    void stopWakesAWaitingWorker() throws InterruptedException {
        StoppableService s = make.get();
        s.start();
        AtomicReference<Thread> worker = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        s.submit(() -> {
            worker.set(Thread.currentThread());
            ran.countDown();
        });
        assertTrue(ran.await(10, TimeUnit.SECONDS), "the job submitted did not run within 10 s");
        // the worker is now waiting for the next job (in take(), wait(), ...): that is the situation under test
        Gate.waitUntilWaiting(worker.get(), 3_000);
        Stopper st = Stopper.start(s);
        if (!st.awaitReturn(5_000)) {
            worker.get().interrupt();
            fail("stop() did not return within 5 s while the worker waited for a job: the worker sleeps in take() (or wait()) and "
                    + "nothing wakes it, so its loop never looks at a flag. Interrupt it (or hand it a poison pill) and let its loop end");
        }
        worker.get().join(5_000);
        assertFalse(worker.get().isAlive(), "the worker thread still ran 5 s after stop() returned: stop() must wake it "
                + "(interrupt it) and its loop must end");
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(30)
    @DisplayName("stop() lets the running job end, and returns only once the worker thread has ended")
    void stopWaitsForTheWorker() throws InterruptedException {
        var busy = ServiceProbes.StopWhileBusy.start(make);
        HeldJob job = busy.job();
        Stopper st = busy.stopper();
        CountDownLatch gate = busy.gate();
        // the job goes on once stop() has been waiting for a while (a right stop() waits for the worker) or has returned
        Gate.openWhenWaitingOrDone(st.thread, gate, 8_000);
        assertTrue(st.awaitReturn(15_000), "stop() did not return within 15 s of the running job's end");
        assertTrue(st.jobFinishedAtReturn, "stop() returned while the job was still running: it must wait until the worker thread "
                + "has ended (join() it) before returning");
        job.thread.join(5_000);   // an executor's awaitTermination() may return a moment before its thread is gone
        assertFalse(job.thread.isAlive(), "the worker thread still ran 5 s after stop() returned: its loop must end");
    }

    @Test
    @Order(4)
    @Points(2)
    @Timeout(30)
    @DisplayName("the jobs still waiting never run and stop() returns them in order, and submit() refuses jobs after stop()")
    void waitingJobsAreReturned() throws InterruptedException {
        StoppableService s = make.get();
        s.start();
        CountDownLatch gate = new CountDownLatch(1);
        HeldJob first = new HeldJob(gate);
        AtomicInteger ranLater = new AtomicInteger();
        Runnable second = ranLater::incrementAndGet;
        Runnable third = ranLater::incrementAndGet;
        Runnable fourth = ranLater::incrementAndGet;
        assertTrue(s.submit(first), "submit() returned false on a running service");
        assertTrue(first.awaitStart(), "the job submitted did not start within 10 s");
        assertTrue(s.submit(second) && s.submit(third), "submit() returned false on a running service");
        Stopper st = Stopper.start(s, first);
        Gate.openWhenWaitingOrDone(st.thread, gate, 8_000);
        assertTrue(st.awaitReturn(15_000), "stop() did not return within 15 s of the running job's end");
        assertFalse(s.submit(fourth), "submit() accepted a job after stop() had returned: it must return false from stop() on");
        first.thread.join(5_000);
        assertEquals(0, ranLater.get(), ranLater.get() + " job(s) ran although they were still waiting when stop() was called "
                + "(or were submitted after it): after stop() the worker takes no more jobs");
        List<Runnable> submitted = List.of(first, second, third);
        List<Runnable> left = st.left;
        boolean same = left != null && left.size() == 2 && left.get(0) == second && left.get(1) == third;
        assertTrue(same, "stop() returned " + ServiceProbes.describe(left, submitted) + "; it must return the jobs that never ran, "
                + "the same objects in the order submitted: [the job submitted 2nd, the job submitted 3rd] "
                + "(with an executor: execute() them, since submit() wraps each job in a Future)");
    }

    @Test
    @Order(5)
    @Points(2)
    @Timeout(150)
    @DisplayName("stop() racing with submit(): the job is refused, run or returned, exactly once, under every schedule the engine tries")
    void stopRacingWithSubmitUnderTheEngine() {
        var made = make;   // a local: a lambda reading the field would capture the test, which is not serializable
        String cls = Explore.className(made.get());
        Explore.noFailure("one thread submits a job while another calls stop() (the service's worker is a thread of the table too)",
                "interleave(() -> new ServiceRace(" + cls + "::new), ServiceRace::submit, ServiceRace::stop).firstFailure(s -> s.ok())",
                // 500 interleavings: a check-then-act submit() is found after 100-150 of them; a passing search costs
                // about 3 s per 100 on a loaded 2-core machine, and a grading has a budget
                Interleaving.of(() -> new ServiceRace(made), ServiceRace::submit, ServiceRace::stop).show(ServiceRace::toString)
                        .invocations(500),
                s -> s.ok(), made);
    }
}
