package org.threadlab.agent;

import jdk.jshell.execution.RemoteExecutionControl;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static jdk.jshell.execution.Util.forwardExecutionControlAndIO;

/**
 * The remote end of JShell in the execution JVM. JShell's own agent runs each snippet on its
 * command thread; this one runs the snippets of cell N on a thread of the group {@code cell-N},
 * so the kernel can tell, through JDI, which threads a cell started, interrupt or stop exactly
 * those, and route their output back to cell N.
 *
 * <p>Started by the kernel as {@code java ... org.threadlab.agent.CellAgent PORT}, with
 * {@code -Dthreadlab.side=PORT:TOKEN} naming the kernel's side channel.
 */
public class CellAgent extends RemoteExecutionControl {
    /** Thrown into a cell's threads by the kernel (through JDI) to stop code that ignores interrupts. */
    public static final CellStopped STOP = new CellStopped();
    /** Thrown (through JDI) out of {@code System.exit} called in a cell, instead of ending the JVM. */
    public static final ExitBlocked EXIT_BLOCKED = new ExitBlocked();

    private static SideChannel side;
    private static AgentKernel kernel;

    private volatile int cell;
    private volatile Object lastValue;

    public static void main(String[] args) throws Exception {
        String[] sideSpec = System.getProperty("threadlab.side", "").split(":");
        if (sideSpec.length != 2) {
            throw new IllegalStateException("CellAgent is started by the ThreadLab kernel; run ./threadlab notebook");
        }
        side = SideChannel.connect(Integer.parseInt(sideSpec[0]), sideSpec[1]);
        // "off" exists to measure what routing costs (./threadlab bench kernel): all output goes to the last cell
        boolean routing = !"off".equals(System.getProperty("threadlab.routing"));
        PrintStream out = routing ? CellStreams.printStream(side.frames, Frames.STDOUT) : CellStreams.unrouted(side.frames, Frames.STDOUT);
        PrintStream err = routing ? CellStreams.printStream(side.frames, Frames.STDERR) : CellStreams.unrouted(side.frames, Frames.STDERR);
        kernel = AgentKernel.install(side.frames);
        Thread.setDefaultUncaughtExceptionHandler(CellAgent::uncaught);
        CellAgent agent = new CellAgent();
        side.serve(agent::control);
        Watchdog.start(side.frames, side, Integer.getInteger("threadlab.maxThreads", 2000),
                Integer.getInteger("threadlab.maxProcesses", 200));

        Socket socket = new Socket((String) null, Integer.parseInt(args[0]));
        socket.setTcpNoDelay(true);
        InputStream inStream = socket.getInputStream();
        OutputStream outStream = socket.getOutputStream();
        Map<String, Consumer<OutputStream>> outputs = new HashMap<>();
        // JShell's own out/err channels stay connected but unused: every print goes through the side channel
        outputs.put("out", st -> System.setOut(out));
        outputs.put("err", st -> System.setErr(err));
        Map<String, Consumer<InputStream>> input = new HashMap<>();
        input.put("in", System::setIn);
        forwardExecutionControlAndIO(agent, inStream, outStream, outputs, input);
        // JShell closed the connection: the kernel is shutting down or restarting us
        Runtime.getRuntime().halt(0);
    }

    private static void uncaught(Thread t, Throwable e) {
        if (e instanceof CellStopped) {
            System.err.println("[thread \"" + t.getName() + "\" stopped by the interrupt]");
            return;
        }
        System.err.print("Exception in thread \"" + t.getName() + "\" ");
        System.err.println(StackTraces.readable(e));
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        int n = cell;
        // an interrupt that came while the kernel was still compiling this cell found nothing to stop: it stops the cell now
        if (stopRequested == n) throw new StoppedException();
        CellWorker w = worker;
        if (w == null || w.cell != n || !w.thread.isAlive()) {
            if (w != null) w.end();
            w = new CellWorker(n, groupOf(n));
            worker = w;
        }
        Job job = new Job(doit);
        w.jobs.put(job);
        // the worker may be stopped by force between jobs, and then never signals this one
        while (!job.done.await(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (!w.thread.isAlive() && job.done.getCount() > 0) throw new StoppedException();
        }
        if (job.failure instanceof CellStopped) {
            throw new StoppedException();
        }
        if (job.failure != null) {
            throw new InvocationTargetException(job.failure);
        }
        lastValue = job.result;
        return valueString(job.result);
    }

    /** One snippet's run, handed to the cell's worker thread. */
    private static final class Job {
        final Method doit;
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        volatile Object result;
        volatile Throwable failure;

        Job(Method doit) {
            this.doit = doit;
        }
    }

    private static final Job END = new Job(null);

    private volatile CellWorker worker;
    /** The running cell, once it has been interrupted: its snippets that have not started yet do not start. */
    private volatile int stopRequested = Integer.MIN_VALUE;

    /**
     * The thread {@code cell-N} that runs every snippet of cell N, one after the other: a cell is
     * one program to a student, so a lock taken in one statement can be released in the next and
     * {@code Thread.currentThread()} stays the same. It ends with the cell (the kernel's "end").
     */
    private static final class CellWorker {
        final int cell;
        final Thread thread;
        final java.util.concurrent.BlockingQueue<Job> jobs = new java.util.concurrent.LinkedBlockingQueue<>();

        CellWorker(int cell, ThreadGroup group) {
            this.cell = cell;
            this.thread = new Thread(group, this::loop, "cell-" + cell);
            thread.start();
        }

        private void loop() {
            Cells.enter(cell);
            while (true) {
                Job job;
                try {
                    job = jobs.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (job == END) return;
                try {
                    job.result = job.doit.invoke(null);
                } catch (InvocationTargetException e) {
                    job.failure = e.getCause();
                } catch (Throwable e) {
                    job.failure = e;
                } finally {
                    System.out.flush();
                    System.err.flush();
                    job.done.countDown();
                }
                if (job.failure instanceof CellStopped) return;
            }
        }

        void end() {
            jobs.offer(END);
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final Map<Integer, ThreadGroup> groups = new HashMap<>();

    private synchronized ThreadGroup groupOf(int n) {
        return groups.computeIfAbsent(n, k -> new ThreadGroup(Cells.groupName(k)));
    }

    /** Commands the kernel sends between snippets, on JShell's own connection. */
    @Override
    public Object extensionCommand(String command, Object arg) throws RunException, EngineTerminationException, InternalException {
        switch (command) {
            case "cell" -> {
                cell = (Integer) arg;
                stopRequested = Integer.MIN_VALUE;
                Cells.lastCell = cell;
                lastValue = null;
                kernel.setCell(cell);
                return null;
            }
            case "end" -> {
                // the cell's last snippet ran: its worker goes, so it is not counted among threads left running
                CellWorker w = worker;
                worker = null;
                if (w != null) w.end();
                return null;
            }
            case "render" -> {
                // the rich form of the last expression's value, as display_data JSON, or null for plain text
                return kernel.renderJson(lastValue);
            }
            case "sync" -> {
                side.frames.send(Frames.CONTROL_REPLY, 0, "sync " + arg);
                side.flush();
                return null;
            }
            default -> {
                return super.extensionCommand(command, arg);
            }
        }
    }

    /** Commands on the side channel, served while a cell runs. */
    private String control(String line) {
        String[] words = line.split(" ");
        return switch (words[0]) {
            case "threads" -> liveThreads(words.length > 1 ? Integer.parseInt(words[1]) : -1);
            case "interrupt" -> interruptCell(Integer.parseInt(words[1]));
            case "vcarriers" -> virtualCarriers(Integer.parseInt(words[1]));
            case "strays" -> strayIds(Integer.parseInt(words[1]));
            case "sync" -> {
                side.flush();
                yield "sync " + (words.length > 1 ? words[1] : "");
            }
            default -> "error unknown command " + words[0];
        };
    }

    /** Lines {@code cell<TAB>name<TAB>state<TAB>daemon} for live threads of one cell, or of all when cell is -1. */
    private String liveThreads(int onlyCell) {
        List<String> lines = new ArrayList<>();
        if (onlyCell != -1) {
            for (Thread v : VirtualThreads.ofCell(onlyCell)) {
                lines.add(onlyCell + "\t" + (v.getName().isEmpty() ? "virtual#" + v.threadId() : v.getName()) + "\t" + v.getState() + "\ttrue");
            }
        }
        List<Map.Entry<Integer, ThreadGroup>> entries;
        synchronized (this) {
            entries = new ArrayList<>(groups.entrySet());
        }
        for (var e : entries) {
            if (onlyCell != -1 && e.getKey() != onlyCell) continue;
            Thread[] threads = new Thread[e.getValue().activeCount() + 8];
            int count = e.getValue().enumerate(threads, true);
            for (int i = 0; i < count; i++) {
                Thread t = threads[i];
                if (!t.isAlive() || Strays.isCommonPoolWorker(t)) continue;
                lines.add(e.getKey() + "\t" + t.getName() + "\t" + t.getState() + "\t" + t.isDaemon());
            }
        }
        for (var e : Strays.find().entrySet()) {
            if (onlyCell != -1 && e.getValue() != onlyCell) continue;
            Thread t = e.getKey();
            lines.add(e.getValue() + "\t" + t.getName() + "\t" + t.getState() + "\t" + t.isDaemon());
        }
        return "threads " + String.join("\u001f", lines);
    }

    /** "strays N id..." : the thread ids of cell N's threads outside its group (see {@link Strays}), which the kernel stops through JDI. */
    private String strayIds(int n) {
        StringBuilder sb = new StringBuilder("strays " + n);
        for (var e : Strays.find().entrySet()) {
            if (e.getValue() == n) sb.append('\u001f').append(e.getKey().threadId());
        }
        return sb.toString();
    }

    private String interruptCell(int n) {
        if (n == cell) stopRequested = n;
        ThreadGroup g;
        synchronized (this) {
            g = groups.get(n);
        }
        if (g != null) g.interrupt();
        for (var e : Strays.find().entrySet()) if (e.getValue() == n) e.getKey().interrupt();
        List<Thread> virtual = VirtualThreads.ofCell(n);
        virtual.forEach(Thread::interrupt);
        return "interrupt " + n + " " + virtual.size();
    }

    /**
     * "vcarriers N COUNT name..." : how many virtual threads of cell N live, and the names of the
     * carrier threads those that are running are mounted on (the kernel stops the carriers with
     * JDI, which it cannot do to a virtual thread).
     */
    private String virtualCarriers(int n) {
        List<Thread> virtual = VirtualThreads.ofCell(n);
        StringBuilder sb = new StringBuilder("vcarriers " + n + " " + virtual.size());
        for (Thread v : virtual) {
            Thread c = VirtualThreads.carrier(v);
            if (c != null) sb.append('\u001f').append(c.getName());
        }
        return sb.toString();
    }

    static Frames frames() {
        return side.frames;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
