package org.threadlab.grading;

import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherFactory;
import org.opentest4j.TestAbortedException;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs graded JUnit 5 tests one at a time, each on its own daemon thread with a hard time limit,
 * so a deadlocked or looping student implementation costs that test its points and nothing more.
 * A test that does not finish in time is interrupted and abandoned (JUnit's own timeouts cannot
 * end a thread blocked on a monitor, and waiting for it would hang the whole check).
 */
public final class TestRunner {
    /** Time limit of a test without {@code @Timeout}. */
    public static final long DEFAULT_TIMEOUT_MS = 10_000;

    private TestRunner() {}

    /** A graded test before it runs. */
    public record Planned(String id, String name, String className, int points, long timeoutMs, Class<?> testClass, Method method) {}

    /** What became of a test: only {@code PASSED} earns points. */
    public enum Outcome {
        PASSED, FAILED,
        /** Skipped or aborted (an assumption that did not hold, e.g. one core): this machine could not judge it. */
        UNJUDGED
    }

    /**
     * The outcome of one graded test; {@code message} is plain words for the student ("" when it passed).
     * An unjudged test scores 0: a test that cannot judge never gives its points away.
     */
    public record Result(String test, String visibility, int score, int max, Outcome outcome, String message, long millis) {
        public boolean passed() {
            return outcome == Outcome.PASSED;
        }

        public boolean unjudged() {
            return outcome == Outcome.UNJUDGED;
        }
    }

    /** Prefix of the message of a test this machine could not judge. */
    public static final String UNJUDGED = "could not judge on this machine: ";

    /** The tests of {@code classes} in the order JUnit runs them (honouring {@code @Order}). */
    public static List<Planned> plan(List<Class<?>> classes) {
        Launcher launcher = LauncherFactory.create();
        TestPlan plan = launcher.discover(request().selectors(classes.stream().map(c -> selectClass(c)).toList()).build());
        List<Planned> out = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) collect(plan, root, out);
        return out;
    }

    private static void collect(TestPlan plan, TestIdentifier id, List<Planned> out) {
        if (id.isTest()) {
            int points = 1;
            long timeout = DEFAULT_TIMEOUT_MS;
            String cls = "";
            Class<?> testClass = null;
            Method m = null;
            if (id.getSource().orElse(null) instanceof MethodSource ms) {
                cls = ms.getClassName();
                try {
                    testClass = ms.getJavaClass();
                    m = ms.getJavaMethod();
                    Points p = m.getAnnotation(Points.class);
                    if (p != null) points = p.value();
                    Timeout t = m.getAnnotation(Timeout.class);
                    if (t != null) timeout = t.unit().toMillis(t.value());
                } catch (RuntimeException e) {
                    // a method JUnit found but reflection cannot: keep the defaults
                }
            }
            out.add(new Planned(id.getUniqueId(), id.getDisplayName(), cls, points, timeout, testClass, m));
        }
        for (TestIdentifier child : plan.getChildren(id)) collect(plan, child, out);
    }

    /**
     * Runs every test of {@code classes}; {@code capMs} (if positive) shortens every time limit.
     * Each result goes to {@code each} as soon as it is known, so a grading run stopped half-way
     * (the kernel's thread limit, say) still leaves the results it had.
     */
    public static List<Result> run(List<Class<?>> classes, String visibility, long capMs, Consumer<Result> each) {
        List<Result> results = new ArrayList<>();
        for (Planned p : plan(classes)) {
            long limit = capMs > 0 ? Math.min(capMs, p.timeoutMs()) : p.timeoutMs();
            Result r = runOne(p, visibility, limit);
            results.add(r);
            if (each != null) each.accept(r);
            if (Thread.currentThread().isInterrupted()) break;
        }
        return results;
    }

    static Result runOne(Planned p, String visibility, long limitMs) {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        AtomicReference<TestExecutionResult> outcome = new AtomicReference<>();
        AtomicReference<String> skipped = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                // a failing container (class initialisation, @BeforeAll) is the test's failure too
                if (id.getUniqueId().equals(p.id()) || r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    outcome.compareAndSet(null, r);
                }
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                skipped.compareAndSet(null, reason);
            }
        };
        long start = System.nanoTime();
        Thread runner = new Thread(() -> {
            try {
                // by Method, not by unique id: a hidden test class lives in the cells' class loader,
                // where JUnit's lookup by name would not find it
                var selector = p.method() != null ? selectMethod(p.testClass(), p.method()) : selectUniqueId(p.id());
                LauncherFactory.create().execute(request().selectors(selector).build(), listener);
            } catch (Throwable e) {
                outcome.compareAndSet(null, TestExecutionResult.failed(e));
            } finally {
                done.countDown();
            }
        }, "grading-test");
        runner.setDaemon(true);
        runner.start();
        boolean finished;
        try {
            finished = done.await(limitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            runner.interrupt();
            Thread.currentThread().interrupt();
            return new Result(p.name(), visibility, 0, p.points(), Outcome.FAILED, "grading was stopped before this test finished", 0);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (!finished) {
            String why = stuck(before, runner, limitMs);
            abandon(before, runner);
            return new Result(p.name(), visibility, 0, p.points(), Outcome.FAILED, why, ms);
        }
        TestExecutionResult r = outcome.get();
        if (r == null) {
            String reason = skipped.get();
            return reason != null
                    ? new Result(p.name(), visibility, 0, p.points(), Outcome.UNJUDGED, UNJUDGED + "skipped (" + reason + ")", ms)
                    : new Result(p.name(), visibility, 0, p.points(), Outcome.FAILED, "the test did not run (was it found?)", ms);
        }
        return switch (r.getStatus()) {
            case SUCCESSFUL -> new Result(p.name(), visibility, p.points(), p.points(), Outcome.PASSED, "", ms);
            // an aborted test (a failed assumption, TestAbortedException) judged nothing: no points, and it says why
            case ABORTED -> new Result(p.name(), visibility, 0, p.points(), Outcome.UNJUDGED,
                    UNJUDGED + r.getThrowable().map(Throwable::getMessage).orElse("an assumption did not hold"), ms);
            case FAILED -> r.getThrowable().orElse(null) instanceof TestAbortedException tae
                    ? new Result(p.name(), visibility, 0, p.points(), Outcome.UNJUDGED, UNJUDGED + tae.getMessage(), ms)
                    : new Result(p.name(), visibility, 0, p.points(), Outcome.FAILED,
                    r.getThrowable().map(TestRunner::explain).orElse("failed"), ms);
        };
    }

    /** Plain words for a failure: assertion messages are written for students; other exceptions are the student's own. */
    static String explain(Throwable e) {
        if (e instanceof TestAbortedException) return "skipped: " + e.getMessage();
        if (e instanceof AssertionError) {
            return clip(e.getMessage() == null ? "a check failed" : cleanNames(e.getMessage()));
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root
                && (root instanceof java.util.concurrent.ExecutionException || root instanceof java.util.concurrent.CompletionException
                || root instanceof java.lang.reflect.InvocationTargetException)) {
            root = root.getCause();
        }
        String where = studentFrame(root.getStackTrace());
        String msg = root.getMessage() == null ? "" : ": " + cleanNames(root.getMessage());
        return clip("your code threw " + root.getClass().getSimpleName() + msg + (where == null ? "" : " (in " + where + ")"));
    }

    /** Longest failure message kept: room for a schedule engine's interleaving (about 25 steps). */
    static final int CLIP = 2500;

    private static String clip(String s) {
        return s.length() > CLIP ? s.substring(0, CLIP) + "..." : s;
    }

    /** JShell's wrapper names (REPL.$JShell$12$BankAccount, $JShell$30C$ after a redefinition) mean nothing to a student. */
    static String cleanNames(String s) {
        return org.threadlab.display.Names.clean(s);
    }

    /** The first frame of the student's code (the cells), as Class.method, or null. */
    static String studentFrame(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (c.startsWith("REPL.") || (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")
                    && !c.startsWith("org.junit.") && !c.startsWith("org.threadlab."))) {
                String cls = cleanNames(c);
                int dot = cls.lastIndexOf('.');
                if (dot >= 0 && !c.startsWith("REPL.")) cls = cls.substring(dot + 1);
                // a method declared in a cell lives in the bare wrapper, which cleans to nothing
                return (cls.isEmpty() ? "" : cls + ".") + f.getMethodName() + (f.getLineNumber() > 0 && !c.startsWith("REPL.") ? ":" + f.getLineNumber() : "");
            }
        }
        return null;
    }

    /** Why a test ran out of time, in plain words: a deadlock (with its locks) or where the threads are stuck. */
    static String stuck(Set<Thread> before, Thread runner, long limitMs) {
        String head = "did not finish within " + seconds(limitMs) + ": ";
        var mx = ManagementFactory.getThreadMXBean();
        long[] dead = mx.findDeadlockedThreads();
        Set<Long> ours = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) if (!before.contains(t)) ours.add(t.threadId());
        if (dead != null) {
            List<String> parts = new ArrayList<>();
            for (ThreadInfo ti : mx.getThreadInfo(dead, Integer.MAX_VALUE)) {
                if (ti == null || !ours.contains(ti.getThreadId())) continue;
                String at = studentFrame(ti.getStackTrace());
                parts.add(ti.getThreadName() + (at != null ? " in " + at : "") + " waits for a lock held by " + ti.getLockOwnerName());
                if (parts.size() == 2) break;
            }
            if (!parts.isEmpty()) {
                return head + "DEADLOCK — " + String.join("; ", parts)
                        + ". Threads lock the same objects in different orders; always take locks in one fixed order.";
            }
        }
        List<Thread> mine = new ArrayList<>();
        mine.add(runner);
        for (Thread t : Thread.getAllStackTraces().keySet()) if (!before.contains(t) && t != runner) mine.add(t);
        for (Thread t : mine) {
            String at = studentFrame(t.getStackTrace());
            if (at == null) continue;
            String state = switch (t.getState()) {
                case BLOCKED -> "blocked on a lock";
                case WAITING, TIMED_WAITING -> "waiting (for a signal that never comes?)";
                default -> "still running (an endless loop?)";
            };
            return head + "a thread is " + state + " in " + at + ".";
        }
        return head + "the test was still running (a deadlock or an endless loop in your code?).";
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** Interrupts what the test started and leaves it: they are daemons, or the kernel's %stop ends them. */
    private static void abandon(Set<Thread> before, Thread runner) {
        runner.interrupt();
        for (Thread t : Thread.getAllStackTraces().keySet()) if (!before.contains(t)) t.interrupt();
    }
}
