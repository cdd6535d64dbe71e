package org.threadlab.kernel.exec;

import com.sun.jdi.ClassType;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadGroupReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequest;
import jdk.jshell.execution.JdiExecutionControl;
import jdk.jshell.execution.Util;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The JVM that runs the cells, seen from the kernel: JShell's remote execution over a socket, plus
 * a JDI connection through which the kernel interrupts and, where needed, stops by force the
 * threads of a cell (an asynchronous exception, which {@code Thread.stop} can no longer throw
 * since JDK 20), blocks {@code System.exit}, and a side channel for output and rich display.
 *
 * <p>Threads blocked entering a {@code synchronized} monitor cannot take an asynchronous
 * exception, so {@link #stopCell} reports them and the caller restarts this JVM.
 */
public final class ExecutionJvm extends JdiExecutionControl {
    public static final String AGENT = "org.threadlab.agent.CellAgent";

    private final VirtualMachine vm;
    private final Process process;
    private final SideChannelReader side;
    private final ExitGuard events;
    private final AgentClient agent;
    private final CellStopper stopper;
    private final PidsCgroup cgroup;
    private volatile boolean killing;

    private ExecutionJvm(ObjectOutput out, ObjectInput in, VirtualMachine vm, Process process, SideChannelReader side, ExitGuard events,
                         PidsCgroup cgroup) {
        super(out, in);
        this.vm = vm;
        this.process = process;
        this.side = side;
        this.events = events;
        this.cgroup = cgroup;
        this.agent = new AgentClient(side, this::extensionCommand);
        this.stopper = new CellStopper(this::vm, agent);
    }

    /** The pids cgroup that caps this JVM's tasks and holds every process its cells start, or null where none could be made. */
    public PidsCgroup cgroup() {
        return cgroup;
    }

    @Override
    protected VirtualMachine vm() throws EngineTerminationException {
        if (events.dead) throw new EngineTerminationException("the execution JVM has ended");
        return vm;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isDead() {
        return events.dead || !process.isAlive();
    }

    /** The typed client of the agent that runs the cells. */
    public AgentClient agent() {
        return agent;
    }

    /**
     * Settings of the execution JVM, from the kernel's configuration.
     *
     * @param maxTasks the operating system's cap on the JVM's threads plus every process (and thread)
     *                 its cells start, through a pids cgroup; 0 for none
     */
    public record Options(List<String> classPath, List<String> jvmFlags, int startTimeoutMs, long maxTasks) {}

    /** Gives JShell an {@link ExecutionJvm}, and the kernel a handle on the one it made. */
    public static final class Provider implements ExecutionControlProvider {
        private final Options options;
        private final FrameSink sink;
        private final Consumer<ExecutionJvm> created;
        private DeferredExecutionControl last;

        public Provider(Options options, FrameSink sink, Consumer<ExecutionJvm> created) {
            this.options = options;
            this.sink = sink;
            this.created = created;
        }

        @Override
        public String name() {
            return "threadlab";
        }

        /**
         * Starts the execution JVM on a thread of its own and returns at once: JShell compiles the
         * start-up imports meanwhile (see {@link DeferredExecutionControl}).
         */
        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            CompletableFuture<ExecutionJvm> launched = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    ExecutionJvm jvm = launch(env, options, sink);
                    created.accept(jvm);
                    launched.complete(jvm);
                } catch (Throwable e) {
                    launched.completeExceptionally(e);
                }
            }, "threadlab-exec-launch");
            t.setDaemon(true);
            t.start();
            last = new DeferredExecutionControl(launched, options.startTimeoutMs() + 5_000L);
            return last;
        }

        /**
         * Waits until the execution JVM of the last {@link #generate} runs and has caught up with what
         * JShell queued for it. Call it from JShell's thread; throws the reason when the JVM cannot start.
         */
        public ExecutionJvm awaitStarted() throws ExecutionControl.ExecutionControlException {
            return last.ready();
        }
    }

    static ExecutionJvm launch(ExecutionEnv env, Options options, FrameSink sink) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket jshellListener = new ServerSocket(0, 1, loopback);
             ServerSocket sideListener = new ServerSocket(0, 1, loopback)) {
            jshellListener.setSoTimeout(options.startTimeoutMs());
            sideListener.setSoTimeout(options.startTimeoutMs());
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            String token = HexFormat.of().formatHex(secret);

            List<String> vmOptions = new ArrayList<>(env.extraRemoteVMOptions());
            vmOptions.addAll(options.jvmFlags());
            // a crash log belongs in a temp folder the restart message names, never in the notebook's folder (the working directory)
            Path crashes = CrashReport.crashDir();
            vmOptions.add("-XX:ErrorFile=" + crashes.resolve("hs_err_pid%p.log"));
            vmOptions.add("-XX:ReplayDataFile=" + crashes.resolve("replay_pid%p.log"));
            vmOptions.add("-XX:-CreateCoredumpOnCrash");
            vmOptions.add("-Dthreadlab.side=" + sideListener.getLocalPort() + ":" + token);
            vmOptions.add("-cp");
            vmOptions.add(String.join(java.io.File.pathSeparator, options.classPath()));

            PidsCgroup cgroup = options.maxTasks() > 0 ? PidsCgroup.create(options.maxTasks()).orElse(null) : null;
            GroupLeaderLauncher.Target target;
            try {
                target = GroupLeaderLauncher.launch(vmOptions, AGENT, jshellListener.getLocalPort(), options.startTimeoutMs(), p -> {
                    if (cgroup == null) {
                        if (options.maxTasks() > 0) fallbackLimit = NprocLimit.apply(p.pid(), options.maxTasks());
                        return;
                    }
                    try {
                        cgroup.add(p.pid());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException("cannot put the execution JVM into " + cgroup.dir(), e);
                    }
                });
            } catch (IOException | RuntimeException e) {
                if (cgroup != null) {
                    cgroup.killAll(500);
                    cgroup.remove();
                }
                throw e;
            }
            VirtualMachine vm = target.vm();
            Process process = target.process();
            // the JVM waits, suspended, until the event loop resumes it
            ExitGuard events = new ExitGuard(vm, env);
            try {
                Socket sideSocket = accept(sideListener, token);
                SideChannelReader side = new SideChannelReader(sideSocket, sink);
                Socket socket = jshellListener.accept();
                // JShell's protocol writes small pieces and waits for answers: Nagle's algorithm would add ~40 ms to each
                socket.setTcpNoDelay(true);
                ExecutionJvm jvm = new ExecutionJvm(commandOutput(socket), commandInput(socket), vm, process, side, events, cgroup);
                side.start();
                return jvm;
            } catch (IOException | RuntimeException e) {
                ProcessReaper.destroyTree(process.toHandle(), 0);
                if (cgroup != null) {
                    cgroup.killAll(500);
                    cgroup.remove();
                }
                throw e;
            }
        }
    }

    /**
     * JShell's commands to the agent, written straight to the socket and sent whole at each flush
     * (JShell flushes after every command). JShell's own {@code Util.remoteInputOutput} would
     * multiplex them with the remote System.out, err and in: 127-byte packets, one system call each,
     * read back by a thread of its own that hands them on through a pipe, twice per round trip. The
     * agent sends no output there (everything has a cell, so it goes over the side channel) and reads
     * no input, so its end (CellAgent.main) uses plain object streams too.
     */
    private static ObjectOutput commandOutput(Socket socket) throws IOException {
        java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
        // the stream header: the agent's ObjectInputStream waits for it before it reads a command
        out.flush();
        return out;
    }

    private static ObjectInput commandInput(Socket socket) throws IOException {
        return new java.io.ObjectInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024));
    }

    private static Socket accept(ServerSocket listener, String token) throws IOException {
        // Only a process that knows the token (given on its command line) may feed this kernel's cells.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(listener.getSoTimeout());
        while (System.nanoTime() < deadline) {
            Socket s = listener.accept();
            s.setSoTimeout(2000);
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = s.getInputStream().read()) != -1 && c != '\n' && line.length() < 64) line.append((char) c);
            if (line.toString().equals(token)) {
                s.setSoTimeout(0);
                return s;
            }
            s.close();
        }
        throw new SocketTimeoutException("the execution JVM did not open its side channel");
    }

    // ---- stopping a cell ----

    /** Stops every thread of cell {@code cell} (see {@link CellStopper#stopCell}). */
    public CellStopper.StopReport stopCell(int cell, long graceMs, long deadlineMs) {
        return stopper.stopCell(cell, graceMs, deadlineMs);
    }

    // ---- ending ----

    @Override
    public void close() {
        // kill before JShell's close: once the JVM has exited, its children are orphans and no longer its descendants
        kill();
        try {
            super.close();
        } catch (RuntimeException ignored) {
            // the JVM is gone already
        }
    }

    /** Ends the execution JVM and every process it started, children first so none is orphaned. */
    public void kill() {
        // a JVM that ended by itself (halt, crash) may still be exiting when JDI reports it gone: let it
        // finish, so that its exit status, which names the signal, is its own and not our SIGKILL
        if (events.dead && !killing) {
            try {
                process.waitFor(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        killing = true;
        events.dead = true;
        side.close();
        try {
            vm.dispose();
        } catch (RuntimeException ignored) {
            // already disconnected
        }
        ProcessReaper.destroyTree(process.toHandle(), 500);
        if (cgroup != null) {
            // what left the process tree and group (setsid -f, a double fork) is still in the cgroup
            cgroup.killAll(2000);
            cgroup.remove();
        }
    }

    /** The tasks (threads of the JVM and of its processes) its cgroup held at most, or -1 without a cgroup. */
    public long peakTasks() {
        return cgroup == null ? -1 : cgroup.peak();
    }

    // ---- processes ----

    /**
     * Kills the processes that were started since {@code sinceNanos} ({@link System#nanoTime()}, taken
     * as the cell began) and still live. Processes earlier cells started keep running, those in
     * {@code earlier} too. Returns how many were killed.
     */
    public int killProcessesStartedSince(long sinceNanos, java.util.Map<Long, Long> earlier) {
        return ProcessReaper.killStartedSince(process, cgroup, sinceNanos, earlier);
    }

    /** The processes the cells started that live now (pid to start time in clock ticks): see {@link #killProcessesStartedSince}. */
    public java.util.Map<Long, Long> processSnapshot() {
        return ProcessReaper.snapshot(process, cgroup);
    }

    /** Kills every process the cells started, the JVM itself excepted. */
    public void killChildren() {
        ProcessReaper.killChildren(process, cgroup);
    }

    // ---- crashes ----

    /** What capped the last execution JVM started without a cgroup (RLIMIT_NPROC, or why not), or null. */
    public static String fallbackLimit() {
        return fallbackLimit;
    }

    private static volatile String fallbackLimit;

    /** Why this JVM ended, for the student (see {@link CrashReport}). */
    public String deathCause() {
        return CrashReport.deathCause(process);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
