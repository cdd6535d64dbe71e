package org.threadlab.interleave;


import java.io.NotSerializableException;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Threads run under control: replay a chosen interleaving, list every outcome, or find the
 * interleaving that breaks an invariant, deadlocks or never ends. Threads are named A, B, ... in
 * the order given; each gets the shared state made by {@code setup}, fresh for every run.
 *
 * <pre>{@code
 * class Counter { int n; void inc() { int t = n; step(); n = t + 1; } }
 * var race = interleave(Counter::new, Counter::inc, Counter::inc);
 * race.schedule("ABAB");                 // A reads 0, B reads 0, A writes 1, B writes 1: n=1
 * race.explore();                        // n=2 and n=1, each with a schedule that reaches it
 * race.firstFailure(c -> c.n == 2);      // the interleaving that loses an update, step by step
 * }</pre>
 *
 * Two engines, one per question:
 * <ul>
 * <li>{@link #explore()}, {@link #firstFailure} and {@link #verify} ask Lincheck (model checking):
 *     it switches threads at every shared read and write, lock, wait and notify, so it finds races
 *     that no {@code step()} mark points at. It runs in a child JVM, where a notebook cell's
 *     classes are put on the class path (Lincheck looks classes up by name); an interrupt kills it.</li>
 * <li>{@link #schedule(String)} and {@link #explore(int, long)} replay on real threads in this
 *     JVM, switching only at {@link #step()} marks (and at the end of a thread): a letter runs that
 *     thread up to its next mark. Lincheck's public API cannot be told which interleaving to run.</li>
 * </ul>
 * The same schedule, or the same runs and seed, always gives the same run; Lincheck's search is
 * deterministic too (it seeds its own choices).
 */
public final class Interleaving<S> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Makes the shared state, once per run. */
    public interface Setup<S> extends Supplier<S>, Serializable {}

    /** One thread's body: what it does with the shared state. */
    public interface Body<S> extends Consumer<S>, Serializable {}

    /** An invariant of the shared state after all threads finished. */
    public interface Check<S> extends Predicate<S>, Serializable {}

    /** What to show of the shared state (the outcome): {@code c -> c.n}. */
    public interface View<S> extends Function<S, Object>, Serializable {}

    /** Most segments a schedule enumeration tries when looking for one that reaches an outcome. */
    static final int MAX_ENUMERATED = 5_000;

    private final Setup<S> setup;
    private final List<Body<S>> bodies;
    private final View<S> view;
    private final Check<S> check;
    private final int invocations;
    private final Duration timeout;
    /** Where else the classes to ship may be found (a grader's JShell); not sent to the engine. */
    private transient ClassLoader classesFrom;

    private Interleaving(Setup<S> setup, List<Body<S>> bodies, View<S> view, Check<S> check, int invocations, Duration timeout) {
        this.setup = setup;
        this.bodies = List.copyOf(bodies);
        this.view = view;
        this.check = check;
        this.invocations = invocations;
        this.timeout = timeout;
    }

    /**
     * The threads {@code bodies} (A, B, ...) sharing what {@code setup} makes.
     *
     * @throws IllegalArgumentException with fewer than one or more than 26 bodies
     */
    @SafeVarargs
    public static <S> Interleaving<S> of(Setup<S> setup, Body<S>... bodies) {
        if (setup == null) throw new IllegalArgumentException("give a setup that makes the shared state, e.g. Counter::new");
        if (bodies == null || bodies.length == 0 || bodies.length > 26) {
            throw new IllegalArgumentException("give 1 to 26 thread bodies (threads A to Z), e.g. interleave(Counter::new, Counter::inc, Counter::inc)");
        }
        return new Interleaving<>(setup, Arrays.asList(bodies), null, null, 1_000, Duration.ofSeconds(120));
    }

    /** Shows {@code view.apply(state)} as the outcome and as the shared values, instead of every field. */
    public Interleaving<S> show(View<S> view) {
        return carry(new Interleaving<>(setup, bodies, view, check, invocations, timeout));
    }

    /**
     * Also looks for the classes to send to the engine's JVM in {@code loader}: for code that hands
     * the engine objects made by classes of another loader than the threads' own (a test whose
     * threads are methods of its own classes, run on classes a JShell compiled).
     */
    public Interleaving<S> classesFrom(ClassLoader loader) {
        Interleaving<S> copy = new Interleaving<>(setup, bodies, view, check, invocations, timeout);
        copy.classesFrom = loader;
        return copy;
    }

    private Interleaving<S> carry(Interleaving<S> copy) {
        copy.classesFrom = classesFrom;
        return copy;
    }

    /** How many interleavings Lincheck tries per search (default 1,000; Lincheck's own default is 10,000). */
    public Interleaving<S> invocations(int n) {
        if (n < 1) throw new IllegalArgumentException("invocations must be at least 1, got " + n);
        return carry(new Interleaving<>(setup, bodies, view, check, n, timeout));
    }

    /** Longest a Lincheck search may take, start-up included (default 120 s); the engine's JVM is killed after. */
    public Interleaving<S> timeout(Duration t) {
        return carry(new Interleaving<>(setup, bodies, view, check, invocations, t));
    }

    /**
     * Starts the engine's JVM and Lincheck in the background (a few seconds, once), so that the
     * first {@link #explore()} or {@link #firstFailure} answers as fast as later ones.
     */
    public static void warmUp() {
        Thread t = new Thread(() -> {
            try {
                Interleaving.of(Idle::new, Idle::run).engine(Engine.Mode.FAILURE);
            } catch (RuntimeException e) {
                // the next real call starts the engine again and reports what goes wrong
            }
        }, "interleave-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Whether {@code t} is one of the threads this JVM runs for the engine's JVM (reading its
     * output). The grader asks, so that a test that used the engine does not count them as threads
     * the student's code left running (which would cost a fresh grading JVM and a fresh engine).
     */
    public static boolean isEngineThread(Thread t) {
        return EnginePool.owns(t);
    }

    /** State of the warm-up run. */
    static final class Idle {
        void run() {
            // nothing: the warm-up pays for the engine's start only
        }
    }

    /**
     * Marks a point where a replayed schedule may switch threads. Outside a replay (plain runs,
     * Lincheck's search) it does nothing.
     */
    public static void step() {
        Replay.stepMark();
    }

    // ---- replay ----

    /**
     * Replays {@code letters}: "ABAB" runs A up to its first {@link #step()}, then B up to its
     * first, then A on, then B on. Spaces are ignored. When the letters run out, the remaining
     * threads run to their ends in order A, B, ...; a letter naming a finished thread is skipped
     * and reported.
     *
     * @throws IllegalArgumentException for a letter that names no thread
     */
    public Run schedule(String letters) {
        String s = letters == null ? "" : letters.replaceAll("[\\s,]", "");
        for (int i = 0; i < s.length(); i++) {
            int t = s.charAt(i) - 'A';
            if (t < 0 || t >= bodies.size()) {
                throw new IllegalArgumentException("schedule \"" + letters + "\": letter '" + s.charAt(i) + "' at position " + (i + 1)
                        + " names no thread; use " + letter(0) + (bodies.size() > 1 ? " to " + letter(bodies.size() - 1) : "")
                        + " (one letter per thread, in the order the bodies were given)");
            }
        }
        return replay(s, new Letters(s));
    }

    /** {@link #schedule(String)} with one entry per step: {@code List.of("A", "B", "A")}. */
    public Run schedule(List<String> letters) {
        return schedule(String.join("", letters));
    }

    private Run replay(String text, Replay.Chooser chooser) {
        try {
            return new Replay<>(this, chooser).run(text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay of \"" + text + "\" interrupted", e);
        }
    }

    /** Follows the letters, then finishes the threads in order. */
    private static final class Letters implements Replay.Chooser {
        private final String letters;
        private final List<String> problems = new ArrayList<>();
        private int pos;

        Letters(String letters) {
            this.letters = letters;
        }

        @Override
        public int next(int segmentsDone, boolean[] done) {
            while (pos < letters.length()) {
                int t = letters.charAt(pos++) - 'A';
                if (!done[t]) return t;
                problems.add("letter " + letter(t) + " at position " + pos + " skipped: thread " + letter(t) + " had already finished");
            }
            for (int i = 0; i < done.length; i++) if (!done[i]) return i;
            return -1;
        }

        @Override
        public List<String> problems() {
            return problems;
        }
    }

    /** Picks an unfinished thread at random at each switch point, recording the letters. */
    private static final class RandomLetters implements Replay.Chooser {
        private final Random random;
        private final StringBuilder taken = new StringBuilder();

        RandomLetters(Random random) {
            this.random = random;
        }

        @Override
        public int next(int segmentsDone, boolean[] done) {
            int left = 0;
            for (boolean d : done) if (!d) left++;
            if (left == 0) return -1;
            int k = random.nextInt(left);
            for (int i = 0; i < done.length; i++) {
                if (!done[i] && k-- == 0) {
                    taken.append(letter(i));
                    return i;
                }
            }
            return -1;
        }
    }

    // ---- exploration ----

    /**
     * Every outcome Lincheck's model checker reaches within {@link #invocations(int)} interleavings
     * per search, each with a trace and, when one reaches it, a schedule of step() segments.
     * Stops at the first deadlock, livelock or exception (listed as an outcome).
     */
    public Outcomes explore() {
        Engine.Answer a = engine(Engine.Mode.EXPLORE);
        Map<String, String> schedules = schedulesByOutcome();
        List<Outcomes.Row> rows = new ArrayList<>();
        for (Engine.Found f : a.found()) rows.add(new Outcomes.Row(f.outcome(), -1, schedules.getOrDefault(f.outcome(), ""), f.trace()));
        return new Outcomes("Lincheck model checking, up to " + invocations + " interleavings per search", rows, a.complete(), a.note());
    }

    /**
     * {@code runs} random schedules of step() segments drawn from {@code seed}, replayed on real
     * threads: the outcomes with how many runs reached each, and the first schedule that did.
     * The same runs and seed give the same table.
     */
    public Outcomes explore(int runs, long seed) {
        if (runs < 1) throw new IllegalArgumentException("runs must be at least 1, got " + runs);
        Random random = new Random(seed);
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Run> first = new LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            if (Thread.currentThread().isInterrupted()) break;
            RandomLetters r = new RandomLetters(random);
            Run run = replay("random", r);
            String letters = r.taken.toString();
            counts.merge(run.outcome(), 1, Integer::sum);
            first.putIfAbsent(run.outcome(), new Run(letters, run.outcome(),
                    new Trace("schedule " + letters + " -> " + run.outcome(), run.trace().steps()), run.problems()));
        }
        List<Outcomes.Row> rows = new ArrayList<>();
        for (Map.Entry<String, Run> e : first.entrySet()) {
            rows.add(new Outcomes.Row(e.getKey(), counts.get(e.getKey()), e.getValue().schedule(), e.getValue().trace()));
        }
        return new Outcomes(runs + " random schedules of step() segments, seed " + seed, rows, false, "");
    }

    /**
     * The first interleaving Lincheck finds after which {@code invariant} is false, or that
     * deadlocks, never ends, or throws; {@link Failure#found()} is false when there is none within
     * {@link #invocations(int)} interleavings.
     */
    public Failure firstFailure(Check<S> invariant) {
        Engine.Answer a = withCheck(invariant).engine(Engine.Mode.FAILURE);
        String how = "Lincheck model checking, up to " + invocations + " interleavings";
        if (a.found().isEmpty()) return new Failure("none", "", new Trace("no failing interleaving", List.of()), "", how, "");
        Engine.Found f = a.found().get(0);
        String schedule = f.kind().equals("invariant broken") ? schedulesByOutcome().getOrDefault(f.outcome(), "") : "";
        return new Failure(f.kind(), f.message(), f.trace(), schedule, how, f.report());
    }

    /**
     * The threads run one after another on real threads (A to its end, then B, ...), in this JVM,
     * before any engine starts. That order is one of the interleavings, so what goes wrong here goes
     * wrong under the engine too, and a stub or a plainly wrong answer is judged without paying for
     * the engine's JVM. Returns what went wrong in words, or null when the run was fine or a thread
     * could not finish alone (it waits for a later one, or runs on past {@code patience}): then only
     * the engine can judge.
     */
    public String failsOneAfterAnother(Check<S> invariant, Duration patience) {
        S state;
        try {
            state = setup.get();
        } catch (Throwable t) {
            return "making the shared state threw " + t;
        }
        for (int i = 0; i < bodies.size(); i++) {
            Body<S> body = bodies.get(i);
            Throwable[] thrown = new Throwable[1];
            S s = state;
            Thread t = new Thread(() -> {
                try {
                    body.accept(s);
                } catch (Throwable x) {
                    thrown[0] = x;
                }
            }, "one-after-another " + letter(i));
            t.setDaemon(true);   // one that waits for a later thread is left parked, not waited for
            t.start();
            if (!endsAlone(t, patience)) {
                t.interrupt();
                return null;
            }
            if (thrown[0] != null) return "thread " + letter(i) + " threw " + thrown[0];
        }
        try {
            if (invariant != null && !invariant.test(state)) return "the result is wrong (" + describe(state) + ")";
        } catch (Throwable x) {
            return "checking the result threw " + x;
        }
        return null;
    }

    /** True when {@code t} ended; false once it has been parked a while (waiting for another thread) or ran past {@code patience}. */
    private static boolean endsAlone(Thread t, Duration patience) {
        long until = System.nanoTime() + patience.toNanos();
        int parked = 0;
        while (t.isAlive()) {
            if (System.nanoTime() > until) return false;
            Thread.State st = t.getState();
            parked = st == Thread.State.WAITING || st == Thread.State.BLOCKED || st == Thread.State.TIMED_WAITING ? parked + 1 : 0;
            if (parked >= 25) return false;   // about 50 ms without moving: it waits for a thread that has not run yet
            try {
                t.join(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** {@link #firstFailure(Check)} without an invariant: deadlocks, endless loops and exceptions only. */
    public Failure firstFailure() {
        return firstFailure(null);
    }

    /**
     * For tests: throws an {@link AssertionError} showing the failing interleaving (table and
     * replay line) when {@link #firstFailure(Check)} finds one.
     */
    public void verify(Check<S> invariant) {
        Failure f = firstFailure(invariant);
        if (f.found()) throw new AssertionError(f.kind() + ": " + f.message() + "\n" + f + "\n" + f.engineReport());
    }

    Interleaving<S> withCheck(Check<S> invariant) {
        return carry(new Interleaving<>(setup, bodies, view, invariant, invocations, timeout));
    }

    Engine.Answer engine(Engine.Mode mode) {
        ClassLoader own = bodies.get(0).getClass().getClassLoader();
        ClassLoader extra = classesFrom;
        ClassLoader source = extra == null ? own : new ClassLoader(own) {
            @Override
            public java.io.InputStream getResourceAsStream(String name) {
                java.io.InputStream in = extra.getResourceAsStream(name);
                return in != null ? in : own.getResourceAsStream(name);
            }
        };
        Shipping.Package p;
        try {
            p = Shipping.pack(this, source);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("the threads capture a " + e.getMessage() + ", which is not Serializable, so they cannot "
                    + "be sent to the engine's JVM; make the state in the setup (interleave(Counter::new, ...)) instead of capturing it", e);
        }
        return EnginePool.run(new Engine(p.classes(), p.spec(), mode, invocations), timeout);
    }

    /** Finds, for each outcome, the first schedule of step() segments (in A-before-B order) that reaches it. */
    Map<String, String> schedulesByOutcome() {
        Run sequential = schedule("");
        int[] segments = new int[bodies.size()];
        for (Trace.Step s : sequential.trace().steps()) segments[s.thread().charAt(0) - 'A']++;
        Map<String, String> found = new LinkedHashMap<>();
        List<String> all = new ArrayList<>();
        enumerate(segments, new StringBuilder(), all);
        for (String letters : all) {
            if (Thread.currentThread().isInterrupted()) break;
            Run r = schedule(letters);
            found.putIfAbsent(r.outcome(), letters);
        }
        return found;
    }

    private static void enumerate(int[] left, StringBuilder prefix, List<String> out) {
        if (out.size() >= MAX_ENUMERATED) return;
        boolean any = false;
        for (int i = 0; i < left.length; i++) {
            if (left[i] == 0) continue;
            any = true;
            left[i]--;
            prefix.append(letter(i));
            enumerate(left, prefix, out);
            prefix.setLength(prefix.length() - 1);
            left[i]++;
        }
        if (!any) out.add(prefix.toString());
    }

    // ---- shared with the engines ----

    Setup<S> setup() {
        return setup;
    }

    List<Body<S>> bodies() {
        return bodies;
    }

    Check<S> check() {
        return check;
    }

    static String letter(int i) {
        return String.valueOf((char) ('A' + i));
    }

    String describeOutcome(S state) {
        return describe(state);
    }

    /** The view, else the state's own toString() when it has one, else its fields: "n=1, t=0". */
    String describe(S state) {
        if (state == null) return "null";
        Object v = view != null ? view.apply(state) : state;
        if (view != null || hasOwnToString(v.getClass())) return text(v);
        StringBuilder b = new StringBuilder();
        for (Class<?> c = v.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) continue;
                try {
                    f.setAccessible(true);
                    if (!b.isEmpty()) b.append(", ");
                    b.append(f.getName()).append('=').append(text(f.get(v)));
                } catch (RuntimeException | IllegalAccessException e) {
                    // a field we may not read (a JDK class's): leave it out
                }
            }
        }
        return b.toString();
    }

    private static boolean hasOwnToString(Class<?> c) {
        try {
            return c.getMethod("toString").getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static String text(Object o) {
        if (o instanceof int[] a) return Arrays.toString(a);
        if (o instanceof long[] a) return Arrays.toString(a);
        if (o instanceof boolean[] a) return Arrays.toString(a);
        if (o instanceof Object[] a) return Arrays.deepToString(a);
        return String.valueOf(o);
    }
}
