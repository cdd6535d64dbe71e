package org.threadlab.run;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The parent's end of one child JVM running {@link ChildMain}: launches it with this JVM's class
 * path, answers its requests for class bytes, forwards its output, and hands the answers
 * (READY, RESULT, ERROR, or the end of the process) to whoever waits.
 */
final class ChildProcess {
    /** Fast start for short-lived children: C1 only, small heap, class-data sharing. */
    static final List<String> FAST_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-Xss512k", "-Xms8m", "-Xmx256m", "-XX:-UsePerfData");
    /**
     * Workers live long and do CPU work: keep the optimizing compiler. A worker's per-chunk methods
     * (decode, apply, encode) run once per chunk but loop over hundreds of values: a method that
     * loops that much is compiled (C1, with profiling) after 10 calls instead of 100, else it runs
     * interpreted through a pool's first ~25 maps of four chunks per worker. Methods that do not
     * loop keep the usual thresholds. Measured: map(identity) of 2000 ints on 2 workers, maps
     * 21-35, median 0.64 -> 0.44 µs per input.
     */
    static final List<String> WORKER_FLAGS = List.of("-XX:+UseSerialGC", "-Xshare:auto", "-Xss512k", "-Xms16m",
            "-Xmx256m", "-XX:-UsePerfData", "-XX:Tier3MinInvocationThreshold=10");
    /** Workers whose work is loading and rewriting classes (see {@link ProcessPool#ProcessPool(int, List, boolean)}). */
    static final List<String> QUICK_WORKER_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-Xss512k", "-Xms16m", "-Xmx256m", "-XX:-UsePerfData");

    /** An answer from the child, or the note that it ended ({@code type == 0}). */
    record Answer(byte type, byte[] body) {}

    /** Takes the child's answers on the thread that reads them, see {@link #listen}. */
    interface Listener {
        /** Must not throw; runs on the reader thread, so the next frame waits until it returns. */
        void answer(Answer a);
    }

    private static final Answer ENDED = new Answer((byte) 0, new byte[0]);

    final Process process;
    final long startNanos;
    private final DataOutputStream in;
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final PrintStream echoOut;
    private final PrintStream echoErr;
    private volatile ClassLoader shippingSource;
    private volatile boolean ended;
    private volatile Thread stderrPump;
    private volatile Thread reader;
    private volatile Listener listener;

    private ChildProcess(Process process, long startNanos, PrintStream echoOut, PrintStream echoErr) {
        this.process = process;
        this.startNanos = startNanos;
        this.echoOut = echoOut;
        this.echoErr = echoErr;
        this.in = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
    }

    /** Starts a child JVM; {@code mode} is "call" (one task, then exit) or "worker". */
    static ChildProcess start(String mode, List<String> flags, String name) {
        return start(mode, flags, name, List.of());
    }

    /** {@link #start(String, List, String)} with {@code extraClassPath} after this JVM's class path. */
    static ChildProcess start(String mode, List<String> flags, String name, List<String> extraClassPath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(flags);
        cmd.add("-Dthreadlab.parent=" + ProcessHandle.current().pid());
        cmd.add("-Dthreadlab.child=" + name);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        String cp = classPath();
        if (!extraClassPath.isEmpty()) cp += File.pathSeparator + String.join(File.pathSeparator, extraClassPath);
        cmd.add(cp);
        cmd.add(ChildMain.class.getName());
        cmd.add(mode);
        long t0 = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start a child JVM (" + cmd.get(0) + "): " + e.getMessage()
                    + "; is the JDK complete (java.home=" + System.getProperty("java.home") + ")?", e);
        }
        TreeKiller.register(p.toHandle());
        ChildProcess c = new ChildProcess(p, t0, System.out, System.err);
        c.startThreads(name);
        return c;
    }

    static String javaBinary() {
        Path bin = Path.of(System.getProperty("java.home"), "bin", "java");
        return bin.toString();
    }

    /**
     * This JVM's class path, plus the jar or folder this library came from: in stock JJava the
     * library may have been added with %jars and so be missing from java.class.path.
     */
    static String classPath() {
        Set<String> parts = new LinkedHashSet<>();
        String own = null;
        try {
            var src = ChildMain.class.getProtectionDomain().getCodeSource();
            if (src != null) own = Path.of(src.getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            // unusual code source: rely on java.class.path
        }
        if (own != null) parts.add(own);
        for (String s : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!s.isBlank()) parts.add(s);
        }
        return String.join(File.pathSeparator, parts);
    }

    long pid() {
        return process.pid();
    }

    /** The class loader whose classes the child may ask for (the task's, usually a notebook cell's). */
    void shipFrom(ClassLoader loader) {
        shippingSource = loader;
    }

    void send(byte type, byte[] body) throws IOException {
        Wire.write(in, type, body);
    }

    /** Buffers a frame without sending it: {@link #flush()} sends what was buffered in one write. */
    void sendLater(byte type, byte[] body) throws IOException {
        Wire.write(in, type, body, false);
    }

    void flush() throws IOException {
        synchronized (in) {
            in.flush();
        }
    }

    /**
     * Hands the child's answers to {@code l} on the reader thread instead of queueing them for
     * {@link #next}, until called again with null: a pool records each result there, and its map's
     * thread wakes only when a worker has room for more chunks. The end of the child reaches both.
     */
    void listen(Listener l) {
        listener = l;
    }

    /** The next answer, or {@code null} after the timeout; {@code type() == 0} means the child ended. */
    Answer next(long timeoutNanos) throws InterruptedException {
        Answer a = timeoutNanos < 0 ? answers.take() : answers.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        if (a == ENDED) answers.offer(ENDED); // stays ended for later callers
        return a;
    }

    boolean ended() {
        return ended;
    }

    /** A readable account of how the child ended: exit code and its last lines of stderr. */
    String endedMessage() {
        String code;
        try {
            code = process.waitFor(2, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = "exit code unknown";
        }
        Thread pump = stderrPump;
        if (pump != null) {
            try {
                pump.join(1000); // the last lines are often the reason it ended
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String tail;
        synchronized (stderrTail) {
            tail = String.join("\n", stderrTail);
        }
        return "child JVM pid " + pid() + " ended before answering (" + code + ")"
                + (tail.isBlank() ? "" : "; its last stderr lines:\n" + tail);
    }

    /** Closes the child's stdin: a child JVM ends when it sees that. */
    void closeInput() {
        try {
            in.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Ends the child and all its descendants. */
    void kill() {
        try {
            in.close();
        } catch (IOException ignored) {
            // already closed
        }
        TreeKiller.kill(process.toHandle());
    }

    /** Asks the child to end: closing stdin makes it halt. */
    void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** Whether {@code t} is one of the two threads this child's parent runs for it (its output and its stderr). */
    boolean runs(Thread t) {
        return t != null && (t == reader || t == stderrPump);
    }

    private void startThreads(String name) {
        reader = LibraryThreads.start(name + "-reader", this::readFrames);
        stderrPump = LibraryThreads.start(name + "-stderr", () -> pumpStderr(process.getErrorStream()));
    }

    private void readFrames() {
        try (DataInputStream data = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16))) {
            Wire.Frame f;
            while ((f = Wire.read(data)) != null) {
                switch (f.type()) {
                    case Wire.OUT -> {
                        echoOut.write(f.body(), 0, f.body().length);
                        echoOut.flush();
                    }
                    case Wire.CLASS_REQUEST -> send(Wire.CLASS_BYTES, classBytes(new String(f.body(), StandardCharsets.UTF_8)));
                    default -> {
                        Answer a = new Answer(f.type(), f.body());
                        Listener l = listener;
                        if (l != null) l.answer(a);
                        else answers.add(a);
                    }
                }
            }
        } catch (IOException e) {
            // the child died mid-frame: reported as ended below
        }
        ended = true;
        answers.add(ENDED);
        Listener l = listener;
        if (l != null) l.answer(ENDED);
    }

    /**
     * The CLASS_BYTES answer for {@code name}: the class file, then (for a notebook cell's
     * class) the current values of its static fields, so that a lambda using a variable of an
     * earlier cell sees its value in the child, not 0 or null. Empty when no loader knows it.
     */
    private byte[] classBytes(String name) {
        String resource = name.replace('.', '/') + ".class";
        List<ClassLoader> loaders = new ArrayList<>();
        if (shippingSource != null) loaders.add(shippingSource);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) loaders.add(context);
        loaders.add(ChildProcess.class.getClassLoader());
        for (ClassLoader l : loaders) {
            byte[] code;
            try (InputStream s = l.getResourceAsStream(resource)) {
                // JJava's local execution defines a cell's classes from memory, without a resource
                code = s != null ? s.readAllBytes() : LoaderBytes.of(l, name);
            } catch (IOException e) {
                continue;
            }
            if (code == null) continue;
            byte[] statics = name.startsWith("REPL.") ? staticsOf(name, l) : new byte[0];
            return ByteBuffer.allocate(4 + code.length + statics.length).putInt(code.length).put(code).put(statics).array();
        }
        return new byte[0];
    }

    /**
     * JShell keeps a cell's variables in static fields of the cell's class; a class shipped to
     * a child would start with them all 0 or null. Serializable values are copied; others stay
     * unset in the child.
     */
    private static byte[] staticsOf(String name, ClassLoader loader) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        try {
            Class<?> c = Class.forName(name, false, loader);
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) || Modifier.isFinal(m)) continue;
                try {
                    f.setAccessible(true);
                    Object v = f.get(null);
                    if (v == null) continue;
                    values.put(f.getName(), Wire.serialize(v));
                } catch (IOException | RuntimeException | IllegalAccessException e) {
                    // not serializable or not accessible: the child keeps the default
                }
            }
            return values.isEmpty() ? new byte[0] : Wire.serialize(new LinkedHashMap<>(values));
        } catch (ClassNotFoundException | LinkageError | IOException e) {
            return new byte[0];
        }
    }

    private void pumpStderr(InputStream err) {
        byte[] buf = new byte[8192];
        StringBuilder line = new StringBuilder();
        try {
            int n;
            while ((n = err.read(buf)) > 0) {
                echoErr.write(buf, 0, n);
                echoErr.flush();
                String s = new String(buf, 0, n, StandardCharsets.UTF_8);
                for (char ch : s.toCharArray()) {
                    if (ch == '\n') {
                        synchronized (stderrTail) {
                            stderrTail.addLast(line.toString());
                            if (stderrTail.size() > 15) stderrTail.removeFirst();
                        }
                        line.setLength(0);
                    } else {
                        line.append(ch);
                    }
                }
            }
        } catch (IOException e) {
            // process ended
        }
        if (!line.isEmpty()) {
            synchronized (stderrTail) {
                stderrTail.addLast(line.toString());
            }
        }
    }
}
