package org.threadlab.interleave;

import org.jetbrains.lincheck.Lincheck;
import org.threadlab.run.SerializableCallable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * The part that runs in the child JVM: puts the shipped classes (a notebook cell's) on the class
 * path, so that Lincheck, which looks classes up by name, finds them; then runs Lincheck.
 */
final class Engine implements SerializableCallable<Engine.Answer> {
    private static final long serialVersionUID = 1L;
    static final String NEW = "new outcome: ";
    static final String BROKEN = "invariant broken, outcome ";
    static final String THREW = "thread threw: ";

    enum Mode { EXPLORE, FAILURE }

    /** What was found in one Lincheck search. */
    record Found(String kind, String message, String outcome, Trace trace, String report) implements Serializable {}

    /** @param searchNanos time spent in Lincheck, without this JVM's start */
    record Answer(List<Found> found, boolean complete, String note, long searchNanos) implements Serializable {
        Answer(List<Found> found, boolean complete, String note) {
            this(found, complete, note, 0);
        }
    }

    private final Map<String, byte[]> classes;
    private final byte[] spec;
    private final Mode mode;
    private final int invocations;

    Engine(Map<String, byte[]> classes, byte[] spec, Mode mode, int invocations) {
        this.classes = classes;
        this.spec = spec;
        this.mode = mode;
        this.invocations = invocations;
    }

    Map<String, byte[]> classes() {
        return classes;
    }

    /** {@link #call()} for a process-pool worker, which takes a function. */
    static Answer answer(Engine job) {
        try {
            return job.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Answer call() throws Exception {
        // The agent's attach and Lincheck print warnings on System.err (the JDK's about dynamic
        // agents and Unsafe, Lincheck's about lambda fields) that would land in the user's cell at
        // every call: keep them back, pass the rest on.
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(held, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            return run();
        } finally {
            System.setErr(err);
            held.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("WARNING: ") && !l.startsWith("[WARN] ") && !l.startsWith("\t"))
                    .forEach(err::println);
        }
    }

    private Answer run() throws Exception {
        if (!classes.isEmpty()) addToClassPath(classes);
        @SuppressWarnings("unchecked")
        Interleaving<Object> it = (Interleaving<Object>) readWithSystemLoader(spec);
        long t0 = System.nanoTime();
        Answer a = mode == Mode.EXPLORE ? explore(it, invocations) : failure(it, invocations);
        return new Answer(a.found(), a.complete(), a.note(), System.nanoTime() - t0);
    }

    /** Lincheck finds one failure per search: search again, with each outcome found counted as allowed, until none is new. */
    static Answer explore(Interleaving<Object> it, int invocations) {
        Set<String> known = new LinkedHashSet<>();
        List<Found> found = new ArrayList<>();
        for (int round = 0; round < 64; round++) {
            Found f = search(it, invocations, Mode.EXPLORE, known);
            if (f == null) return new Answer(found, true, "");
            found.add(f);
            if (!f.kind().equals("outcome")) return new Answer(found, false, "stopped at a " + f.kind() + ": Lincheck would find it again first");
            known.add(f.outcome());
            if (Thread.currentThread().isInterrupted()) return new Answer(found, false, "interrupted");
        }
        return new Answer(found, false, "stopped after 64 outcomes");
    }

    static Answer failure(Interleaving<Object> it, int invocations) {
        Found f = search(it, invocations, Mode.FAILURE, Set.of());
        return new Answer(f == null ? List.of() : List.of(f), f == null, "");
    }

    /** One Lincheck search; null when every interleaving it tried was fine. */
    static Found search(Interleaving<Object> it, int invocations, Mode mode, Set<String> known) {
        // Lincheck does not switch threads at fields of objects it thinks are local to the test: the
        // state must be published through an object that exists before the test starts.
        Shared shared = new Shared();
        // Lincheck instruments, before the test, the classes of the objects the test reaches; a
        // state class loaded earlier but reached only through the setup would run unobserved.
        shared.state = it.setup().get();
        int n = it.bodies().size();
        Runnable test = () -> {
            // reset in the test's own thread before any other starts: no new switch points
            shared.outcome = null;
            shared.error = null;
            Object s = judged(shared, "the setup threw ", () -> it.setup().get());
            shared.state = s;
            Thread[] ts = new Thread[n];
            Throwable[] thrown = new Throwable[n];
            for (int i = 0; i < n; i++) {
                int k = i;
                ts[i] = new Thread(() -> {
                    try {
                        it.bodies().get(k).accept(s);
                    } catch (Throwable t) {
                        thrown[k] = t;
                    }
                });
            }
            for (Thread t : ts) t.start();
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            for (int i = 0; i < n; i++) {
                if (thrown[i] != null) fail(shared, THREW + Interleaving.letter(i) + " threw " + thrown[i], thrown[i]);
            }
            String outcome = judged(shared, "describing the outcome threw ", () -> it.describeOutcome(s));
            shared.outcome = outcome;
            if (mode == Mode.EXPLORE && !known.contains(outcome)) fail(shared, NEW + outcome, null);
            if (mode == Mode.FAILURE && it.check() != null && !judged(shared, "the check threw ", () -> it.check().test(s))) {
                fail(shared, BROKEN + outcome, null);
            }
        };
        for (int attempt = 1; ; attempt++) {
            try {
                Lincheck.runConcurrentTest(invocations, test);
                return null;
            } catch (AssertionError e) {
                String report = String.valueOf(e.getMessage());
                return LincheckReport.parse(report, shared.outcome);
            } catch (RuntimeException e) {
                // Lincheck 3.7 found a failure but sometimes cannot write its report ("GPMC trace is
                // expected", thrown while it formats the trace). Search again: it usually prints the
                // next one; if not, say what was found, from what the failing run left behind.
                if (!fromLincheckReporter(e)) throw e;
                if (attempt < 3) continue;
                return unreported(shared);
            }
        }
    }

    /**
     * {@code part}'s value; when it throws, the run's error names the part (so that a failure
     * Lincheck cannot print is not taken for a hang, which leaves no outcome either).
     */
    static <T> T judged(Shared shared, String what, java.util.function.Supplier<T> part) {
        try {
            return part.get();
        } catch (RuntimeException | Error e) {
            if (shared.error == null) shared.error = THREW + what + e;
            throw e;
        }
    }

    private static void fail(Shared shared, String message, Throwable cause) {
        shared.error = message;
        throw new AssertionError(message, cause);
    }

    static boolean fromLincheckReporter(Throwable e) {
        for (StackTraceElement f : e.getStackTrace()) {
            if (f.getClassName().startsWith("org.jetbrains.kotlinx.lincheck.Reporter")
                    || f.getClassName().startsWith("org.jetbrains.kotlinx.lincheck.trace.")) return true;
        }
        return false;
    }

    /**
     * The failure Lincheck found but could not print: an assertion of ours when the run left one
     * (its message carries the outcome), a hang when the run never reached its outcome; no trace.
     */
    static Found unreported(Shared shared) {
        String error = shared.error;
        String report;
        if (error != null) report = "java.lang.AssertionError: " + error;
        else if (shared.outcome == null) report = "The execution has hung (Lincheck could not print its schedule)";
        else report = "java.lang.IllegalStateException: the engine found a failure but Lincheck could not describe it";
        Found f = LincheckReport.parse(report, shared.outcome);
        return new Found(f.kind(), f.message(), f.outcome(),
                new Trace(f.trace().title() + " (Lincheck could not print this schedule)", List.of()), report);
    }

    /** Published state: see {@link #search}. */
    static final class Shared {
        volatile Object state;
        volatile String outcome;
        /** our own assertion's message in the current run, or null */
        volatile String error;
    }

    private static void addToClassPath(Map<String, byte[]> classes) throws IOException {
        Path jar = Files.createTempFile("threadlab-cells", ".jar");
        jar.toFile().deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                out.putNextEntry(new JarEntry(c.getKey().replace('.', '/') + ".class"));
                out.write(c.getValue());
                out.closeEntry();
            }
        }
        Instrumentation inst = net.bytebuddy.agent.ByteBuddyAgent.install();
        inst.appendToSystemClassLoaderSearch(new JarFile(jar.toFile()));
    }

    private static Object readWithSystemLoader(byte[] bytes) throws IOException, ClassNotFoundException {
        ClassLoader app = ClassLoader.getSystemClassLoader();
        try (InputStream in = new ByteArrayInputStream(bytes);
             ObjectInputStream o = new ObjectInputStream(in) {
                 @Override
                 protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                     try {
                         return Class.forName(desc.getName(), false, app);
                     } catch (ClassNotFoundException e) {
                         return super.resolveClass(desc);
                     }
                 }
             }) {
            return o.readObject();
        }
    }
}
