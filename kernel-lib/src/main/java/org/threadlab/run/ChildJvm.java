package org.threadlab.run;

import java.io.IOException;
import java.io.NotSerializableException;
import java.lang.ref.Cleaner;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A task running in a child JVM with this JVM's class path: Python's
 * {@code multiprocessing.Process}, with the result coming back. The task is a serializable
 * lambda, a class's {@code main}, or a static method; lambdas written in a notebook cell work
 * too (the child asks this JVM for the bytes of the cell's classes).
 *
 * <pre>{@code
 * ChildJvm<Long> child = ChildJvm.fork(() -> Tasks.countTo(1_000_000));
 * child.pid();                            // 4242: a process of its own
 * child.get(Duration.ofSeconds(10));      // the same value Tasks.countTo(1_000_000) gives here
 * }</pre>
 *
 * The child ends after answering, when {@link #kill()} is called, when this JVM exits, and when
 * this handle is garbage-collected. Static fields of notebook cells are not copied: the child sees
 * their initial values (0, null), as a Python child started with "spawn" would.
 */
public final class ChildJvm<T> implements AutoCloseable {
    static final Cleaner CLEANER = Cleaner.create();

    private final ChildProcess child;
    private final String what;
    private final ClassLoader loader;
    private final Cleaner.Cleanable cleanable;
    private volatile Outcome outcome;
    private long resultNanos = -1;

    private record Outcome(Object value, String error, boolean timedOut) {
        Outcome(Object value, String error) {
            this(value, error, false);
        }
    }

    private ChildJvm(ChildProcess child, String what, ClassLoader loader) {
        this.child = child;
        this.what = what;
        this.loader = loaderOr(loader);
        ChildProcess c = child;
        this.cleanable = CLEANER.register(this, c::kill);
    }

    /**
     * Runs {@code task} in a new child JVM and returns at once; {@link #get(Duration)} waits for
     * the result.
     *
     * @throws IllegalArgumentException if the task (or what it captures) is not serializable
     */
    public static <T> ChildJvm<T> fork(SerializableCallable<T> task) {
        byte[] bytes;
        try {
            bytes = Wire.serialize(task);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("the task captures a " + e.getMessage()
                    + ", which is not Serializable, so it cannot be sent to a child JVM; capture only numbers, "
                    + "strings, records that implement Serializable, or make the class Serializable", e);
        }
        return start(bytes, task.getClass().getClassLoader(), "fork " + shortName(task));
    }

    /** Runs {@code mainClass.main(args)} in a child JVM; {@link #get} returns null once it finished. */
    public static ChildJvm<Void> forkMain(Class<?> mainClass, String... args) {
        findStatic(mainClass, "main", new Object[] {args});
        return start(serializeCall(new StaticCall(mainClass.getName(), "main", new Object[] {args.clone()}, true)),
                mainClass.getClassLoader(), "forkMain " + mainClass.getSimpleName());
    }

    /**
     * Runs the static method {@code method} of {@code type} with {@code args} (serializable
     * values) in a child JVM; {@link #get} returns its return value.
     * <pre>{@code ChildJvm<Long> c = ChildJvm.forkStatic(Tasks.class, "countTo", 1_000_000L);}</pre>
     */
    public static <T> ChildJvm<T> forkStatic(Class<?> type, String method, Object... args) {
        findStatic(type, method, args);
        return start(serializeCall(new StaticCall(type.getName(), method, args.clone(), false)),
                type.getClassLoader(), "forkStatic " + type.getSimpleName() + "." + method);
    }

    private static byte[] serializeCall(StaticCall call) {
        try {
            return Wire.serialize(call);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("an argument of type " + e.getMessage()
                    + " is not Serializable, so it cannot be sent to a child JVM", e);
        }
    }

    private static <T> ChildJvm<T> start(byte[] task, ClassLoader loader, String what) {
        ChildProcess c = ChildProcess.start("call", ChildProcess.FAST_FLAGS, "child");
        c.shipFrom(loader);
        try {
            c.send(Wire.CALL, task);
        } catch (IOException e) {
            // the child died at once: get() reports how
        }
        return new ChildJvm<>(c, what, loader);
    }

    /** The loader to read answers with: the task's (it sees a notebook cell's classes), else the library's. */
    static ClassLoader loaderOr(ClassLoader loader) {
        if (loader != null) return loader;
        ClassLoader c = Thread.currentThread().getContextClassLoader();
        return c != null ? c : ChildJvm.class.getClassLoader();
    }

    private static String shortName(Object task) {
        String n = task.getClass().getName();
        int lambda = n.indexOf("$$Lambda");
        return lambda > 0 ? "lambda of " + n.substring(0, lambda) : n;
    }

    /** PID of the child process. */
    public long pid() {
        return child.pid();
    }

    /** The child's process handle, e.g. for {@code pstree()} or {@link TreeKiller#kill}. */
    public ProcessHandle process() {
        return child.process.toHandle();
    }

    /** Whether the child process is still running. */
    public boolean isAlive() {
        return child.process.isAlive();
    }

    /** Waits as long as it takes (a kernel interrupt ends the wait and the child). */
    public T get() {
        return get(null);
    }

    /**
     * The task's result, waiting up to {@code timeout}.
     *
     * @throws ChildFailedException when the task threw, the child crashed, the result could not be
     *         serialized, or no answer came in time (the child is then killed with its descendants)
     */
    @SuppressWarnings("unchecked")
    public T get(Duration timeout) {
        synchronized (this) {
            if (outcome == null) outcome = await(timeout);
        }
        if (outcome.error != null) throw new ChildFailedException(pid(), outcome.error, outcome.timedOut);
        return (T) outcome.value;
    }

    /** Time from starting the JVM to having the result, in nanoseconds ({@code -1} before). */
    public long elapsedNanos() {
        return resultNanos;
    }

    private Outcome await(Duration timeout) {
        Outcome o = awaitAnswer(timeout);
        // the child ends when its stdin closes: wait for that, so none is seen running after get()
        child.closeInput();
        try {
            if (!child.process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) child.kill();
        } catch (InterruptedException e) {
            child.kill();
            Thread.currentThread().interrupt();
        }
        return o;
    }

    private Outcome awaitAnswer(Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (true) {
            ChildProcess.Answer a;
            try {
                a = child.next(timeout == null ? -1 : Math.max(0, deadline - System.nanoTime()));
            } catch (InterruptedException e) {
                child.kill();
                Thread.currentThread().interrupt();
                return new Outcome(null, what + ": interrupted while waiting; child JVM pid " + pid() + " was killed");
            }
            if (a == null) {
                child.kill();
                return new Outcome(null, what + ": child JVM pid " + pid() + " did not answer within "
                        + timeout.toMillis() + " ms and was killed (with its children); give get(...) more time, "
                        + "or check the task for an endless loop or a deadlock", true);
            }
            switch (a.type()) {
                case Wire.READY -> { continue; }
                case Wire.RESULT -> {
                    resultNanos = System.nanoTime() - child.startNanos;
                    byte[] bytes = Arrays.copyOfRange(a.body(), 24, a.body().length);
                    try {
                        return new Outcome(Wire.deserialize(bytes, loader), null);
                    } catch (IOException | ClassNotFoundException e) {
                        return new Outcome(null, what + ": the result came back but could not be read here: " + e);
                    }
                }
                case Wire.ERROR -> {
                    return new Outcome(null, what + " (child JVM pid " + pid() + "): "
                            + new String(a.body(), StandardCharsets.UTF_8));
                }
                case 0 -> {
                    return new Outcome(null, what + ": " + child.endedMessage());
                }
                default -> { continue; }
            }
        }
    }

    /** Kills the child and its descendants. */
    public List<Long> kill() {
        List<Long> killed = TreeKiller.kill(child.process.toHandle());
        cleanable.clean();
        return killed;
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        String state = outcome == null ? (isAlive() ? "running" : "ended") : outcome.error == null ? "done" : "failed";
        return "ChildJvm[pid " + pid() + ", " + what + ", " + state + "]";
    }

    static Method findStatic(Class<?> type, String name, Object[] args) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == args.length
                    && fits(m.getParameterTypes(), args)) {
                return m;
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no public static method " + name + " taking "
                + Arrays.stream(args).map(a -> a == null ? "null" : a.getClass().getSimpleName()).toList()
                + "; public static methods there: "
                + Arrays.stream(type.getMethods()).filter(m -> Modifier.isStatic(m.getModifiers())).map(Method::getName)
                .distinct().sorted().toList());
    }

    private static boolean fits(Class<?>[] params, Object[] args) {
        for (int i = 0; i < params.length; i++) {
            Class<?> p = params[i].isPrimitive() ? boxed(params[i]) : params[i];
            if (args[i] == null ? params[i].isPrimitive() : !p.isInstance(args[i])) return false;
        }
        return true;
    }

    private static Class<?> boxed(Class<?> p) {
        if (p == int.class) return Integer.class;
        if (p == long.class) return Long.class;
        if (p == double.class) return Double.class;
        if (p == boolean.class) return Boolean.class;
        if (p == float.class) return Float.class;
        if (p == short.class) return Short.class;
        if (p == byte.class) return Byte.class;
        return Character.class;
    }

    /** A call of a static method by name, run in the child. */
    record StaticCall(String className, String method, Object[] args, boolean isMain) implements SerializableCallable<Object> {
        @Override
        public Object call() throws Exception {
            Class<?> type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            Method m = findStatic(type, method, args);
            try {
                Object r = m.invoke(null, args);
                return isMain ? null : r;
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception ex) throw ex;
                throw e;
            }
        }
    }
}
