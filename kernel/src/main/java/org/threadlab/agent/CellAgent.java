package org.threadlab.agent;

import jdk.jshell.execution.RemoteExecutionControl;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.threadlab.agent.protocol.Message;

import static jdk.jshell.execution.Util.forwardExecutionControl;

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
    private static Dispatcher dispatcher;

    private volatile int cell;
    private volatile Object lastValue;

    public static void main(String[] args) throws Exception {
        String[] sideSpec = System.getProperty("threadlab.side", "").split(":");
        if (sideSpec.length != 2) {
            throw new IllegalStateException("CellAgent is started by the ThreadLab kernel; run ./threadlab notebook");
        }
        org.threadlab.agent.protocol.Codec.warmUpInBackground();
        side = SideChannel.connect(Integer.parseInt(sideSpec[0]), sideSpec[1]);
        // "off" exists to measure what routing costs (./threadlab bench kernel): all output goes to the last cell
        boolean routing = !"off".equals(System.getProperty("threadlab.routing"));
        PrintStream out = routing ? CellStreams.printStream(side.frames, Frames.STDOUT) : CellStreams.unrouted(side.frames, Frames.STDOUT);
        PrintStream err = routing ? CellStreams.printStream(side.frames, Frames.STDERR) : CellStreams.unrouted(side.frames, Frames.STDERR);
        kernel = AgentKernel.install(side.frames);
        Thread.setDefaultUncaughtExceptionHandler(CellAgent::uncaught);
        CellAgent agent = new CellAgent();
        dispatcher = new Dispatcher(agent, side);
        side.serve(dispatcher::handleLine);
        Watchdog.start(side.frames, side, Integer.getInteger("threadlab.maxThreads", 2000),
                Integer.getInteger("threadlab.maxProcesses", 200));

        Socket socket = new Socket((String) null, Integer.parseInt(args[0]));
        socket.setTcpNoDelay(true);
        // every print goes through the side channel; a cell that reads System.in finds its end, as a notebook has no console
        System.setOut(out);
        System.setErr(err);
        System.setIn(InputStream.nullInputStream());
        ObjectOutputStream commandsOut = new ObjectOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
        commandsOut.flush();
        ObjectInputStream commandsIn = new ObjectInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        // plain object streams, as the kernel's end has them (see ExecutionJvm.commandOutput)
        forwardExecutionControl(agent, commandsIn, commandsOut);
        // JShell closed the connection: the kernel is shutting down or restarting us
        Runtime.getRuntime().halt(0);
    }

    private static void uncaught(Thread t, Throwable e) {
        if (e instanceof CellStopped) {
            // an interrupt, %stop, %reset or a limit: the cell that did it says which; this only says how
            System.err.println("[thread \"" + t.getName() + "\" ignored Thread.interrupt() and was stopped by force]");
            return;
        }
        // this runs on the dying thread: its unfinished line goes first, then the error, to the thread's cell
        System.out.flush();
        System.err.flush();
        String line;
        try {
            line = org.threadlab.agent.protocol.Codec.encode(0, new Message.ThreadFailed(t.getName(), StackTraces.chain(e)));
        } catch (RuntimeException | StackOverflowError encodeFailed) {
            System.err.print("Exception in thread \"" + t.getName() + "\" ");
            System.err.println(StackTraces.readable(e));
            return;
        }
        side.frames.send(Frames.THREAD_FAILED, Cells.current(), line);
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
            this.thread = new Thread(group, this::loop, Cells.groupName(cell));
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

    /** The kernel's requests on JShell's own connection, in order with the snippets: one protocol line in, one out. */
    @Override
    public Object extensionCommand(String command, Object arg) throws RunException, EngineTerminationException, InternalException {
        if (PROTOCOL_COMMAND.equals(command) && arg instanceof String line) return dispatcher.handleLine(line);
        return super.extensionCommand(command, arg);
    }

    /** The name of JShell's extension command that carries protocol lines. */
    public static final String PROTOCOL_COMMAND = "threadlab";

    void startCell(int n) {
        cell = n;
        stopRequested = Integer.MIN_VALUE;
        Cells.lastCell = n;
        lastValue = null;
        NativeHeap.cellStarted();
    }

    /** The cell's last snippet ran: its worker goes, so it is not counted among threads left running. */
    void endCell() {
        CellWorker w = worker;
        worker = null;
        if (w != null) w.end();
        NativeHeap.cellEnded();
    }

    /** The rich form of the last expression's value, as display_data JSON, or null for plain text. */
    String renderLast() {
        return kernel.renderJson(lastValue);
    }

    /** Live threads of one cell, or of all when cell is -1. */
    List<Message.LiveThread> liveThreads(int onlyCell) {
        List<Message.LiveThread> out = new ArrayList<>();
        if (onlyCell != -1) {
            for (Thread v : VirtualThreads.ofCell(onlyCell)) {
                out.add(new Message.LiveThread(onlyCell, v.getName().isEmpty() ? "virtual#" + v.threadId() : v.getName(), v.getState().name(), true));
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
                out.add(new Message.LiveThread(e.getKey(), t.getName(), t.getState().name(), t.isDaemon()));
            }
        }
        for (var e : Strays.find().entrySet()) {
            if (onlyCell != -1 && e.getValue() != onlyCell) continue;
            Thread t = e.getKey();
            out.add(new Message.LiveThread(e.getValue(), t.getName(), t.getState().name(), t.isDaemon()));
        }
        return out;
    }

    /** The thread ids of cell N's threads outside its group (see {@link Strays}), which the kernel stops through JDI. */
    List<Long> strayIds(int n) {
        List<Long> ids = new ArrayList<>();
        for (var e : Strays.find().entrySet()) {
            if (e.getValue() == n) ids.add(e.getKey().threadId());
        }
        return ids;
    }

    /** Interrupts every thread of cell {@code n}; returns how many of them were virtual. */
    int interruptCell(int n) {
        if (n == cell) stopRequested = n;
        ThreadGroup g;
        synchronized (this) {
            g = groups.get(n);
        }
        if (g != null) g.interrupt();
        for (var e : Strays.find().entrySet()) if (e.getValue() == n) e.getKey().interrupt();
        List<Thread> virtual = VirtualThreads.ofCell(n);
        virtual.forEach(Thread::interrupt);
        return virtual.size();
    }

    /**
     * How many virtual threads of cell N live, and the names of the carrier threads those that are
     * running are mounted on (the kernel stops the carriers with JDI, which it cannot do to a virtual thread).
     */
    Message.Carriers carriers(int n) {
        List<Thread> virtual = VirtualThreads.ofCell(n);
        List<String> names = new ArrayList<>();
        for (Thread v : virtual) {
            Thread c = VirtualThreads.carrier(v);
            if (c != null) names.add(c.getName());
        }
        return new Message.Carriers(n, virtual.size(), names);
    }

}
