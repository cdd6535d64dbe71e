package org.threadlab.run;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;

/**
 * The entry point of a child JVM that {@link ChildJvm} or {@link ProcessPool} started: it reads
 * tasks from stdin, answers on stdout (System.out is redirected into OUT frames), and ends itself
 * when stdin closes or its parent disappears, so it never outlives the parent.
 * A one-task child ("call") reads stdin on a thread of its own; a pool worker reads it on its
 * main thread between tasks (see {@link Inbox}).
 */
public final class ChildMain {
    private ChildMain() {}

    private static DataOutputStream out;
    private static final BlockingQueue<Wire.Frame> TASKS = new LinkedBlockingQueue<>();
    private static final SynchronousQueue<byte[]> CLASS_REPLIES = new SynchronousQueue<>();
    /** A worker's frames; null in a one-task child, whose reader thread fills TASKS and CLASS_REPLIES. */
    private static volatile Inbox inbox;

    public static void main(String[] args) throws Exception {
        if (System.getProperty("threadlab.parent") == null) {
            System.err.println("ChildMain runs inside child JVMs that ThreadLab starts; use fork(...) or processPool(n)");
            System.exit(2);
        }
        out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(new PrintStream(new Wire.FrameOutputStream(out), true, StandardCharsets.UTF_8));
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        ShippingLoader loader = new ShippingLoader(ChildMain.class.getClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        boolean once = args.length > 0 && args[0].equals("call");
        if (once) startReader(in);
        else inbox = new Inbox(in);
        watchParent(Long.getLong("threadlab.parent"));
        Wire.write(out, Wire.READY, Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8));

        Object function = null;
        String functionError = null;
        while (true) {
            Wire.Frame f = once ? TASKS.take() : inbox.nextTask();
            switch (f.type()) {
                case Wire.CALL -> {
                    long t0 = System.nanoTime();
                    Object task;
                    try {
                        task = Wire.deserialize(f.body(), loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        error("the task could not be loaded in the child JVM: " + e, e);
                        if (once) exit(0);
                        continue;
                    }
                    long t1 = System.nanoTime();
                    Object value;
                    try {
                        value = ((SerializableCallable<?>) task).call();
                    } catch (Throwable e) {
                        error("the task threw " + e, e);
                        if (once) exit(0);
                        continue;
                    }
                    long t2 = System.nanoTime();
                    answer(value, t1 - t0, t2 - t1, "the task's result");
                    if (once) exit(0);
                }
                case Wire.FUNCTION -> {
                    // no answer here: a failure is told in the answer to the next CHUNK, so the
                    // parent reads exactly one answer per CHUNK
                    try {
                        function = Wire.deserialize(f.body(), loader);
                        functionError = null;
                    } catch (ClassNotFoundException | LinkageError e) {
                        function = null;
                        functionError = "the function could not be loaded in the worker JVM: " + e;
                    }
                }
                case Wire.CHUNK -> {
                    if (function == null) error(functionError == null ? "no function was sent before the inputs" : functionError, null);
                    else runChunk(function, f.body(), loader);
                }
                default -> error("unexpected frame type " + f.type(), null);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void runChunk(Object function, byte[] body, ClassLoader loader) throws IOException {
        long t0 = System.nanoTime();
        Object[] inputs;
        try {
            inputs = Wire.decodeArray(body, 0, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            error("the inputs could not be loaded in the worker JVM: " + e, e);
            return;
        }
        long t1 = System.nanoTime();
        Object[] outputs = new Object[inputs.length];
        SerializableFunction<Object, Object> fn = (SerializableFunction<Object, Object>) function;
        for (int i = 0; i < inputs.length; i++) {
            try {
                outputs[i] = fn.apply(inputs[i]);
            } catch (Throwable e) {
                error("the function threw " + e + " for the input " + abbreviate(inputs[i]), e);
                return;
            }
        }
        long t2 = System.nanoTime();
        answerArray(outputs, t1 - t0, t2 - t1);
    }

    private static void answer(Object value, long deserializeNanos, long workNanos, String what) throws IOException {
        long t0 = System.nanoTime();
        byte[] bytes;
        try {
            bytes = Wire.serialize(value);
        } catch (NotSerializableException e) {
            error(what + " cannot be sent back: " + e.getMessage()
                    + " does not implement java.io.Serializable (return a String, a number, a record that implements Serializable, or a List of them)", null);
            return;
        } catch (RuntimeException e) {
            error(what + " cannot be sent back: " + e, e);
            return;
        }
        long serialize = System.nanoTime() - t0;
        byte[] body = new byte[24 + bytes.length];
        java.nio.ByteBuffer.wrap(body).putLong(deserializeNanos).putLong(workNanos).putLong(serialize).put(bytes);
        Wire.write(out, Wire.RESULT, body);
    }

    private static void answerArray(Object[] outputs, long deserializeNanos, long workNanos) throws IOException {
        long t0 = System.nanoTime();
        byte[] bytes;
        try {
            bytes = Wire.encodeArray(outputs, 24);
        } catch (NotSerializableException e) {
            error("a result cannot be sent back: " + e.getMessage()
                    + " does not implement java.io.Serializable (return a String, a number, a record that implements Serializable, or a List of them)", null);
            return;
        } catch (RuntimeException e) {
            error("a result cannot be sent back: " + e, e);
            return;
        }
        Wire.putLong(bytes, 0, deserializeNanos);
        Wire.putLong(bytes, 8, workNanos);
        Wire.putLong(bytes, 16, System.nanoTime() - t0);
        Wire.write(out, Wire.RESULT, bytes);
    }

    private static void error(String message, Throwable e) throws IOException {
        StringBuilder sb = new StringBuilder(message);
        if (e != null) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            sb.append('\n').append(w);
        }
        System.out.flush();
        Wire.write(out, Wire.ERROR, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /**
     * Ends a one-task child. The parent closes our stdin once it has the answer, and the reader
     * thread halts the JVM on that end of input. Halting here instead would cost 300 ms: the JVM's
     * exit waits that long for threads blocked in native code, like the reader in read(2).
     */
    private static void exit(int code) {
        System.out.flush();
        try {
            out.flush();
            Thread.sleep(5000);
        } catch (IOException | InterruptedException ignored) {
            // the parent is gone, or it is time to go anyway
        }
        Runtime.getRuntime().halt(code);
    }

    private static void startReader(DataInputStream in) {
        Thread t = new Thread(() -> {
            try {
                Wire.Frame f;
                while ((f = Wire.read(in)) != null) {
                    if (f.type() == Wire.CLASS_BYTES) CLASS_REPLIES.put(f.body());
                    else TASKS.put(f);
                }
            } catch (IOException | InterruptedException e) {
                // the pipe broke: same as a close
            }
            // stdin closed: the parent closed us or died; a child never outlives its parent
            Runtime.getRuntime().halt(0);
        }, "threadlab-parent-reader");
        t.setDaemon(true);
        t.start();
    }

    /**
     * A worker's frames from the parent. No thread reads ahead: the thread that needs a frame reads
     * it. Between tasks that is the main thread, so a chunk already waiting in the pipe is taken
     * without waking another thread (a reader thread handing chunks over cost a wake-up of the
     * main thread per chunk); while a task runs it is whichever thread of the task waits for a
     * class's bytes. A frame the reading thread does not want is left here for the other kind of
     * waiter.
     * <p>Nobody reads while a task computes, so the parent must never wait for that: it writes
     * chunks from a thread that does not read our answers (see ProcessPool), and class bytes only
     * when asked. A closed stdin is noticed when the task ends; the parent kills workers it
     * gives up on, and {@link #watchParent} covers its death.
     */
    static final class Inbox {
        private final DataInputStream in;
        private final java.util.ArrayDeque<Wire.Frame> tasks = new java.util.ArrayDeque<>();
        private byte[] classBytes;
        private boolean reading;

        Inbox(DataInputStream in) {
            this.in = in;
        }

        /** The next frame other than CLASS_BYTES. */
        Wire.Frame nextTask() throws InterruptedException {
            return (Wire.Frame) await(true);
        }

        /** The next CLASS_BYTES body. */
        byte[] classBytes() throws InterruptedException {
            return (byte[]) await(false);
        }

        private Object await(boolean task) throws InterruptedException {
            while (true) {
                synchronized (this) {
                    while (true) {
                        if (task && !tasks.isEmpty()) return tasks.poll();
                        if (!task && classBytes != null) {
                            byte[] b = classBytes;
                            classBytes = null;
                            return b;
                        }
                        if (!reading) break;
                        wait();
                    }
                    reading = true;
                }
                Wire.Frame f;
                try {
                    f = Wire.read(in);
                } catch (IOException e) {
                    f = null; // the pipe broke: same as a close
                } catch (RuntimeException | Error e) {
                    synchronized (this) {
                        reading = false;
                        notifyAll();
                    }
                    throw e;
                }
                // stdin closed: the parent closed us or died; a child never outlives its parent
                if (f == null) Runtime.getRuntime().halt(0);
                synchronized (this) {
                    reading = false;
                    if (f.type() == Wire.CLASS_BYTES) classBytes = f.body();
                    else tasks.add(f);
                    notifyAll();
                }
            }
        }
    }

    private static void watchParent(Long parentPid) {
        if (parentPid == null) return;
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                if (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) continue;
                Runtime.getRuntime().halt(0);
            }
        }, "threadlab-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    /** Asks the parent for a class's bytes; {@code null} when the parent has none. */
    static byte[] requestClass(String name) {
        synchronized (CLASS_REPLIES) { // one request at a time: the next CLASS_BYTES answers this one
            try {
                Wire.write(out, Wire.CLASS_REQUEST, name.getBytes(StandardCharsets.UTF_8));
                Inbox i = inbox;
                byte[] reply = i != null ? i.classBytes() : CLASS_REPLIES.take();
                return reply.length == 0 ? null : reply;
            } catch (IOException | InterruptedException e) {
                return null;
            }
        }
    }

    /**
     * Loads classes the child's class path lacks (cells of a notebook live in JShell's memory, not
     * in a jar) by asking the parent for their bytes. Parent-first, so library classes are shared.
     */
    static final class ShippingLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        ShippingLoader(ClassLoader parent) {
            super("threadlab-shipped", parent);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] reply = requestClass(name);
            if (reply == null) {
                throw new ClassNotFoundException(name + " is neither on the child's class path nor known to the parent JVM");
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(reply);
            int codeLength = b.getInt();
            Class<?> c = defineClass(name, reply, 4, codeLength);
            int staticsAt = 4 + codeLength;
            if (staticsAt < reply.length) setStatics(c, java.util.Arrays.copyOfRange(reply, staticsAt, reply.length));
            return c;
        }

        @SuppressWarnings("unchecked")
        private void setStatics(Class<?> c, byte[] body) {
            try {
                var values = (java.util.Map<String, byte[]>) Wire.deserialize(body, this);
                for (var e : values.entrySet()) {
                    try {
                        var f = c.getDeclaredField(e.getKey());
                        f.setAccessible(true);
                        f.set(null, Wire.deserialize(e.getValue(), this));
                    } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError ex) {
                        // this variable stays at its default in the child
                    }
                }
            } catch (ClassNotFoundException | IOException | RuntimeException ex) {
                // no values: the cell's variables start at their defaults
            }
        }
    }
}
