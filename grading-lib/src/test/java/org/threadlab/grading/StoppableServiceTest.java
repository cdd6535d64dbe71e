package org.threadlab.grading;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.threadlab.grading.exercises.Make;
import org.threadlab.grading.exercises.ServiceProbes;
import org.threadlab.grading.exercises.ServiceRace;
import org.threadlab.grading.exercises.StoppableService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stoppable-service's tests tell right from wrong, each wrong service losing exactly the tests
 * written for its mistake; and the probes they use report what happened.
 */
class StoppableServiceTest {
    static final String IN_ORDER = "jobs run one at a time on one worker thread, in the order submitted, and stop() leaves no thread behind";
    static final String WAKES = "stop() wakes a worker that waits for a job, and that thread ends";
    static final String JOINS = "stop() lets the running job end, and returns only once the worker thread has ended";
    static final String RETURNS = "the jobs still waiting never run and stop() returns them in order, and submit() refuses jobs after stop()";
    static final String ENGINE = "stop() racing with submit(): the job is refused, run or returned, exactly once, under every schedule the engine tries";
    static final String INTERRUPTS_JOB = "stop() interrupts the running job: a job sleeping for a minute ends at once";
    static final String SWALLOWING_JOB = "a job that swallows the interrupt does not keep the service going: the waiting job still never runs";
    static final String CALLER = "an interrupt of the thread calling stop() is passed on: stop() still waits for the worker, then restores it";

    static List<Class<?>> hidden;

    @BeforeAll
    static void compileHidden() throws Exception {
        Path out = Files.createTempDirectory("hidden-tests");
        List<String> names = Grader.compile(Path.of("../grading/hidden/src"), out);
        var loader = new java.net.URLClassLoader(new java.net.URL[]{out.toUri().toURL()}, StoppableServiceTest.class.getClassLoader());
        hidden = new ArrayList<>();
        for (String n : names) {
            Class<?> c = Class.forName(n, false, loader);
            if (c.getAnnotation(HiddenTests.class).value().equals("stoppable-service")) hidden.add(c);
        }
        assertEquals(1, hidden.size(), "one hidden test class for stoppable-service");
    }

    /** Results by test name, visible then hidden; tests named in {@code skip} are not run. */
    static Map<String, TestRunner.Result> grade(Make<StoppableService> make, Set<String> skip) {
        Exercises.STOPPABLE_SERVICE.use(make);
        List<Class<?>> classes = new ArrayList<>(Exercises.STOPPABLE_SERVICE.visibleTests());
        classes.addAll(hidden);
        Map<String, TestRunner.Result> m = new TreeMap<>();
        for (TestRunner.Planned p : TestRunner.plan(classes)) {
            if (skip.contains(p.name())) continue;
            m.put(p.name(), TestRunner.runOne(p, "visible", p.timeoutMs()));
        }
        return m;
    }

    /** Every test that ran passes except {@code failing}, which fail (and do not time out: each says what went wrong). */
    static void only(Map<String, TestRunner.Result> m, String... failing) {
        Set<String> bad = Set.of(failing);
        for (TestRunner.Result r : m.values()) {
            if (bad.contains(r.test())) {
                assertFalse(r.passed(), "should fail: " + r.test());
                assertFalse(r.message().contains("did not finish within"), r.test() + " ran into its time limit: " + r.message());
            } else {
                assertTrue(r.passed(), r.test() + ": " + r.message());
            }
        }
        for (String t : failing) assertTrue(m.containsKey(t), "no test called " + t);
    }

    // ---- services ----

    /** The solution's design: a queue, one thread, a stopped flag under the lock submit() takes, an interrupt, a join. */
    static class Good implements StoppableService {
        final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        final Thread worker = new Thread(this::work, "service-worker");
        volatile boolean stopped;

        public void start() { worker.start(); }

        void work() {
            try {
                while (!stopped) queue.take().run();
            } catch (InterruptedException e) {
                // the service's own request to stop: the thread ends
            }
        }

        public boolean submit(Runnable job) {
            synchronized (this) {
                if (stopped) return false;
                queue.add(job);
                return true;
            }
        }

        public List<Runnable> stop() {
            synchronized (this) { stopped = true; }
            worker.interrupt();
            List<Runnable> left = new ArrayList<>();
            queue.drainTo(left);
            joinKeepingTheInterrupt(worker);
            return left;
        }
    }

    /** Waits for {@code t} to end even when interrupted meanwhile, then restores the interrupt. */
    static void joinKeepingTheInterrupt(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** An executor of one thread: shutdownNow() interrupts and returns the waiting jobs, close() waits and restores interrupts. */
    static final class OnAnExecutor implements StoppableService {
        ExecutorService pool;
        public void start() { pool = Executors.newSingleThreadExecutor(); }
        public boolean submit(Runnable job) {
            try {
                pool.execute(job);
                return true;
            } catch (RejectedExecutionException e) {
                return false;
            }
        }
        public List<Runnable> stop() {
            List<Runnable> left = pool.shutdownNow();
            pool.close();
            return left;
        }
    }

    /** Interrupts but returns at once, without waiting for the worker. */
    static final class NoJoin extends Good {
        @Override
        public List<Runnable> stop() {
            synchronized (this) { stopped = true; }
            worker.interrupt();
            List<Runnable> left = new ArrayList<>();
            queue.drainTo(left);
            return left;
        }
    }

    /** Returns as soon as its caller is interrupted, the interrupt forgotten. */
    static final class SwallowsInStop extends Good {
        @Override
        public List<Runnable> stop() {
            synchronized (this) { stopped = true; }
            worker.interrupt();
            List<Runnable> left = new ArrayList<>();
            queue.drainTo(left);
            try {
                worker.join();
            } catch (InterruptedException e) {
                // swallowed
            }
            return left;
        }
    }

    /** Remembers the stop only in the worker's interrupt status, which a job can clear. */
    static final class InterruptOnly extends Good {
        @Override
        void work() {
            try {
                while (!Thread.currentThread().isInterrupted()) queue.take().run();
            } catch (InterruptedException e) {
                // ends
            }
        }
    }

    // ---- the tests ----

    // Under the schedule engine a search costs 10-35 s on a loaded machine; the grading suite runs the
    // engine test on the solution and the corpus (grading/corpus/stoppable-service), so here it is left out.

    @Test
    void theSolutionsDesignAndAnExecutorGetEveryPoint() {
        only(grade(Good::new, Set.of(ENGINE)));
        only(grade(OnAnExecutor::new, Set.of(ENGINE)));
    }

    @Test
    void eachMistakeLosesItsTests() {
        // the flag-only and check-then-add services are in the corpus; these three are not
        only(grade(NoJoin::new, Set.of(ENGINE)), JOINS, CALLER);
        only(grade(SwallowsInStop::new, Set.of(ENGINE)), CALLER);
        only(grade(InterruptOnly::new, Set.of(ENGINE)), SWALLOWING_JOB);
    }

    @Test
    void theTestsAreTheOnesTheCorpusLabelsName() {
        List<Class<?>> classes = new ArrayList<>(Exercises.STOPPABLE_SERVICE.visibleTests());
        classes.addAll(hidden);
        List<String> names = TestRunner.plan(classes).stream().map(TestRunner.Planned::name).toList();
        assertEquals(List.of(IN_ORDER, WAKES, JOINS, RETURNS, ENGINE, INTERRUPTS_JOB, SWALLOWING_JOB, CALLER), names);
        int points = TestRunner.plan(classes).stream().mapToInt(TestRunner.Planned::points).sum();
        assertEquals(13, points, "the check cell of solutions/e20-stoppable-service.ipynb gives 13 points");
        for (String n : names) assertFalse(n.contains(";"), "a corpus label separates test names with ';': " + n);
    }

    @Test
    void stopperNotesWhatWasTrueWhenStopReturned() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        ServiceProbes.HeldJob job = new ServiceProbes.HeldJob(release);
        Good s = new Good();
        s.start();
        s.submit(job);
        assertTrue(job.awaitStart());
        ServiceProbes.Stopper st = ServiceProbes.Stopper.start(s, job);
        assertTrue(Gate.waitUntilWaiting(st.thread, 5_000), "stop() waits for the held job");
        assertFalse(job.finished, "the job ignores stop()'s interrupt and goes on waiting for its release");
        st.thread.interrupt();
        release.countDown();
        assertTrue(st.awaitReturn(5_000));
        assertTrue(st.jobFinishedAtReturn);
        job.thread.join(5_000);
        assertFalse(job.thread.isAlive());
        assertTrue(st.interruptedAtReturn, "Good restores its caller's interrupt");
        assertTrue(job.interrupted, "the job saw stop()'s interrupt");
        assertEquals(List.of(), st.left);
    }

    @Test
    void serviceRaceCountsEachJobOnce() {
        ServiceRace r = new ServiceRace(Good::new);
        assertTrue(r.ok(), "nothing submitted, nothing returned");
        r.accepted = true;
        assertFalse(r.ok(), "accepted but neither run nor returned: " + r);
        r.ran = 1;
        assertTrue(r.ok(), r.toString());
        r.returned = List.of(r.job);
        assertFalse(r.ok(), "run and returned: " + r);
        r.ran = 0;
        assertTrue(r.ok(), r.toString());
        r.returned = List.of(() -> { });
        assertFalse(r.ok(), "returned something else: " + r);
        assertTrue(r.toString().contains("1 other object"), r.toString());
    }

    @Test
    void describeNamesTheJobsReturned() {
        Runnable a = () -> { };
        Runnable b = () -> { };
        assertEquals("[the job submitted 2nd, the job submitted 1st]", ServiceProbes.describe(List.of(b, a), List.of(a, b)));
        assertTrue(ServiceProbes.describe(List.of(new java.util.concurrent.FutureTask<>(a, null)), List.of(a)).contains("FutureTask (not a job submitted)"));
        assertEquals("null", ServiceProbes.describe(null, List.of(a)));
    }

    @Test
    void theEngineRaceSetUpStartsNoThread() {
        ServiceRace r = new ServiceRace(Good::new);
        assertFalse(((Good) r.service).worker.isAlive(), "made, not started: the engine's own set-up run must leave no thread");
        r.stop();
        assertTrue(r.ok());
    }
}
