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
import java.io.InputStream;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
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
    private static final String AGENT = "org.threadlab.agent.CellAgent";

    private final VirtualMachine vm;
    private final Process process;
    private final SideChannelReader side;
    private final Events events;
    private final PidsCgroup cgroup;
    private volatile boolean killing;
    private ObjectReference stopError;

    private ExecutionJvm(ObjectOutput out, ObjectInput in, VirtualMachine vm, Process process, SideChannelReader side, Events events,
                         PidsCgroup cgroup) {
        super(out, in);
        this.vm = vm;
        this.process = process;
        this.side = side;
        this.events = events;
        this.cgroup = cgroup;
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

    public SideChannelReader side() {
        return side;
    }

    /**
     * Settings of the execution JVM, from the kernel's configuration.
     *
     * @param maxTasks the operating system's cap on the JVM's threads plus every process (and thread)
     *                 its cells start, through a pids cgroup; 0 for none
     */
    public record Options(String javaHome, List<String> classPath, List<String> jvmFlags, int startTimeoutMs, long maxTasks) {}

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
            Path crashes = crashDir();
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
            Events events = new Events(vm, env);
            try {
                Socket sideSocket = accept(sideListener, token);
                SideChannelReader side = new SideChannelReader(sideSocket, sink);
                Socket socket = jshellListener.accept();
                // JShell's protocol writes small pieces and waits for answers: Nagle's algorithm would add ~40 ms to each
                socket.setTcpNoDelay(true);
                Map<String, OutputStream> outputs = new HashMap<>();
                // The agent sends no output over JShell's own streams: everything has a cell, so it uses the side channel.
                outputs.put("out", OutputStream.nullOutputStream());
                outputs.put("err", OutputStream.nullOutputStream());
                Map<String, InputStream> input = new HashMap<>();
                input.put("in", InputStream.nullInputStream());
                ExecutionJvm[] made = new ExecutionJvm[1];
                ExecutionControl ec = Util.remoteInputOutput(socket.getInputStream(), socket.getOutputStream(), outputs, input,
                        (objIn, objOut) -> made[0] = new ExecutionJvm(objOut, objIn, vm, process, side, events, cgroup));
                side.start();
                return (ExecutionJvm) ec;
            } catch (IOException | RuntimeException e) {
                destroyTree(process.toHandle(), 0);
                if (cgroup != null) {
                    cgroup.killAll(500);
                    cgroup.remove();
                }
                throw e;
            }
        }
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

    /**
     * The JDI event loop: resumes the JVM at start, blocks {@code System.exit} in cells (with a
     * clear message, through a breakpoint on {@code Runtime.exit}) and notices when the JVM dies.
     */
    private static final class Events {
        private final VirtualMachine vm;
        volatile boolean dead;

        Events(VirtualMachine vm, ExecutionEnv env) {
            this.vm = vm;
            try {
                List<ReferenceType> runtime = vm.classesByName("java.lang.Runtime");
                if (!runtime.isEmpty()) {
                    for (Method m : runtime.get(0).methodsByName("exit")) {
                        BreakpointRequest bp = vm.eventRequestManager().createBreakpointRequest(m.location());
                        bp.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                        bp.enable();
                    }
                }
            } catch (RuntimeException e) {
                // without the breakpoint System.exit ends the JVM; the kernel then restarts it and says so
            }
            Thread t = new Thread(() -> loop(env), "threadlab-jdi-events");
            t.setDaemon(true);
            t.start();
        }

        private void loop(ExecutionEnv env) {
            try {
                while (true) {
                    EventSet set = vm.eventQueue().remove();
                    for (Event ev : set) {
                        if (ev instanceof BreakpointEvent bp) {
                            blockExit(bp.thread());
                        } else if (ev instanceof VMDeathEvent || ev instanceof VMDisconnectEvent) {
                            dead = true;
                        }
                    }
                    if (dead) {
                        env.closeDown();
                        return;
                    }
                    set.resume();
                }
            } catch (InterruptedException | VMDisconnectedException e) {
                dead = true;
                env.closeDown();
            }
        }

        private void blockExit(ThreadReference thread) {
            try {
                ClassType agent = (ClassType) vm.classesByName(AGENT).get(0);
                ObjectReference blocked = (ObjectReference) agent.getValue(agent.fieldByName("EXIT_BLOCKED"));
                thread.stop(blocked);
            } catch (Exception e) {
                // the agent is not loaded yet (exit during start-up): let the JVM end, the kernel restarts it
            }
        }
    }

    // ---- stopping a cell ----

    /** What {@link #stopCell} achieved. */
    public record StopReport(int interrupted, int forced, List<String> survivors) {
        public boolean clean() {
            return survivors.isEmpty();
        }
    }

    /**
     * Stops every thread of cell {@code cell}: first {@code Thread.interrupt()} (sleep, wait, join,
     * blocking queues and well-behaved loops end here), then, for threads still alive after
     * {@code graceMs}, an asynchronous {@link org.threadlab.agent.CellStopped} error thrown into them
     * again and again until {@code deadlineMs}. Returns the threads that still live: those blocked
     * on a monitor, or catching and ignoring the error.
     */
    public StopReport stopCell(int cell, long graceMs, long deadlineMs) {
        long start = System.nanoTime();
        int forced = 0;
        try {
            List<ThreadReference> threads = cellThreads(cell);
            // in-process interrupt reaches virtual threads too, which JDI does not list
            String r = side.command("interrupt " + cell, 500);
            int virtual = r == null ? 0 : Integer.parseInt(r.split(" ")[2]);
            if (r == null) {
                for (ThreadReference t : threads) {
                    try {
                        t.interrupt();
                    } catch (RuntimeException e) {
                        // it ended meanwhile (JDI says IllegalThreadStateException)
                    }
                }
            }
            int interrupted = threads.size() + virtual;
            while (elapsedMs(start) < graceMs && (!alive(threads).isEmpty() || liveVirtual(cell).count() > 0)) sleep(10);
            ObjectReference error = stopError();
            Carriers v = liveVirtual(cell);
            long forcingSince = System.nanoTime();
            // JDI's thread list lags behind a cell that starts threads by the hundred, so the agent's own
            // count of the cell's group decides too, and each round interrupts in-process again
            while ((!(threads = alive(cellThreads(cell))).isEmpty() || v.count() > 0 || agentCount(cell) > 0)
                    && elapsedMs(start) < deadlineMs) {
                side.command("interrupt " + cell, 500);
                List<ThreadReference> targets = new ArrayList<>(threads);
                targets.addAll(v.carriers());
                for (ThreadReference t : targets) {
                    try {
                        t.stop(error);
                        forced++;
                    } catch (Exception e) {
                        // thread ended meanwhile, or is in native code: tried again next round
                    }
                }
                sleep(50);
                v = liveVirtual(cell);
                // A thread blocked entering a monitor never takes the pending error, and one blocked in a
                // native call (a socket read) takes it only when the call returns: past a short wait,
                // waiting longer is pointless and the caller restarts the JVM instead.
                if (v.count() == 0 && forced > 0) {
                    List<ThreadReference> left = alive(cellThreads(cell));
                    if (allBlockedOnMonitors(left)) break;
                    if (elapsedMs(forcingSince) > NATIVE_PATIENCE_MS && allStuckOutsideJava(left)) break;
                }
            }
            List<String> survivors = new ArrayList<>();
            for (ThreadReference t : alive(threads)) survivors.add(describe(t));
            if (v.count() > 0) survivors.add(v.count() + " virtual thread" + (v.count() == 1 ? "" : "s"));
            if (survivors.isEmpty()) {
                int unseen = agentCount(cell);
                if (unseen > 0) survivors.add(unseen + " thread" + (unseen == 1 ? "" : "s") + " still starting when time ran out");
            }
            return new StopReport(interrupted, forced, survivors);
        } catch (VMDisconnectedException | EngineTerminationException e) {
            return new StopReport(0, forced, List.of());
        }
    }

    /** How many live threads (platform and virtual) the agent finds in cell {@code cell}'s group. */
    private int agentCount(int cell) throws EngineTerminationException {
        String r = side.command("threads " + cell, 500);
        // no answer in time (a busy machine) is not "none left": assume one, until the deadline decides
        if (r == null) return 1;
        if (r.length() <= "threads ".length()) return 0;
        int n = 0;
        for (String line : r.substring("threads ".length()).split("\u001f")) if (!line.isBlank()) n++;
        return n;
    }

    private record Carriers(int count, List<ThreadReference> carriers) {}

    /** The live virtual threads of a cell, and the carrier threads the running ones are mounted on. */
    private Carriers liveVirtual(int cell) throws EngineTerminationException {
        String r = side.command("vcarriers " + cell, 500);
        if (r == null) return new Carriers(0, List.of());
        String[] parts = r.split("\u001f");
        int count = Integer.parseInt(parts[0].split(" ")[2]);
        List<ThreadReference> carriers = new ArrayList<>();
        if (parts.length > 1) {
            java.util.Set<String> names = new java.util.HashSet<>(List.of(parts).subList(1, parts.length));
            for (ThreadReference t : vm().allThreads()) {
                try {
                    if (names.contains(t.name())) carriers.add(t);
                } catch (RuntimeException e) {
                    // ended meanwhile
                }
            }
        }
        return new Carriers(count, carriers);
    }

    private static long elapsedMs(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ObjectReference stopError() throws EngineTerminationException {
        if (stopError == null) {
            ClassType agent = (ClassType) vm().classesByName(AGENT).get(0);
            stopError = (ObjectReference) agent.getValue(agent.fieldByName("STOP"));
        }
        return stopError;
    }

    /**
     * The platform threads whose thread group is {@code cell-N} (or a group below it), and those the
     * agent finds working for the cell elsewhere: created in another group, or common ForkJoinPool
     * workers running its tasks (see {@code org.threadlab.agent.Strays}).
     */
    public List<ThreadReference> cellThreads(int cell) throws EngineTerminationException {
        String name = "cell-" + cell;
        java.util.Set<Long> strays = strayIds(cell);
        List<ThreadReference> out = new ArrayList<>();
        for (ThreadReference t : vm().allThreads()) {
            try {
                boolean mine = false;
                // a common-pool worker may sit in a cell's group (JDK 21 makes it where it was first needed)
                // yet serve every cell: the agent counts it as a stray while it runs that cell's work
                if (!t.name().startsWith("ForkJoinPool.commonPool-worker-")) {
                    for (ThreadGroupReference g = t.threadGroup(); g != null && !mine; g = g.parent()) {
                        mine = g.name().equals(name);
                    }
                }
                if (mine || (!strays.isEmpty() && strays.contains(threadId(t)))) out.add(t);
            } catch (RuntimeException e) {
                // the thread ended while we looked
            }
        }
        return out;
    }

    private java.util.Set<Long> strayIds(int cell) {
        String r = side.command("strays " + cell, 500);
        java.util.Set<Long> ids = new java.util.HashSet<>();
        if (r == null) return ids;
        String[] parts = r.split("\u001f");
        for (int i = 1; i < parts.length; i++) ids.add(Long.parseLong(parts[i]));
        return ids;
    }

    private com.sun.jdi.Field tidField;

    /** {@code Thread.threadId()} of a thread, read through JDI from the field that holds it. */
    private long threadId(ThreadReference t) {
        // declared by java.lang.Thread (final since JDK 19); a thread's class may be a subclass
        if (tidField == null) tidField = vm.classesByName("java.lang.Thread").get(0).fieldByName("tid");
        return tidField == null ? -1 : ((com.sun.jdi.LongValue) t.getValue(tidField)).value();
    }

    /** How long a thread in a native call may keep a pending stop before it counts as stuck, in ms. */
    private static final long NATIVE_PATIENCE_MS = 300;

    /** Every thread is blocked on a monitor or sits in a native method (blocking I/O), where a stop cannot land. */
    private static boolean allStuckOutsideJava(List<ThreadReference> threads) {
        if (threads.isEmpty()) return false;
        for (ThreadReference t : threads) {
            try {
                if (t.status() == ThreadReference.THREAD_STATUS_MONITOR) continue;
                t.suspend();
                try {
                    if (t.frameCount() == 0 || !t.frame(0).location().method().isNative()) return false;
                } finally {
                    t.resume();
                }
            } catch (Exception e) {
                return false;
            }
        }
        return true;
    }

    private static boolean allBlockedOnMonitors(List<ThreadReference> threads) {
        if (threads.isEmpty()) return false;
        for (ThreadReference t : threads) {
            try {
                if (t.status() != ThreadReference.THREAD_STATUS_MONITOR) return false;
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    private static List<ThreadReference> alive(List<ThreadReference> threads) {
        List<ThreadReference> out = new ArrayList<>();
        for (ThreadReference t : threads) {
            try {
                int s = t.status();
                if (s != ThreadReference.THREAD_STATUS_ZOMBIE && s != ThreadReference.THREAD_STATUS_UNKNOWN) out.add(t);
            } catch (RuntimeException e) {
                // collected: it ended
            }
        }
        return out;
    }

    private static boolean inNative(ThreadReference t) {
        try {
            t.suspend();
            try {
                return t.frameCount() > 0 && t.frame(0).location().method().isNative();
            } finally {
                t.resume();
            }
        } catch (Exception e) {
            return false;
        }
    }

    private static String describe(ThreadReference t) {
        try {
            String state = switch (t.status()) {
                case ThreadReference.THREAD_STATUS_MONITOR -> "blocked on a monitor (synchronized)";
                case ThreadReference.THREAD_STATUS_WAIT -> "waiting";
                case ThreadReference.THREAD_STATUS_SLEEPING -> "sleeping";
                case ThreadReference.THREAD_STATUS_RUNNING -> inNative(t) ? "blocked in a native call such as a socket read" : "running";
                default -> "state " + t.status();
            };
            return "\"" + t.name() + "\" (" + state + ")";
        } catch (RuntimeException e) {
            return "a thread that ended meanwhile";
        }
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
        destroyTree(process.toHandle(), 500);
        if (cgroup != null) {
            // what left the process tree and group (setsid -f, a double fork) is still in the cgroup
            cgroup.killAll(2000);
            cgroup.remove();
        }
    }

    // ---- processes of a cell ----

    /**
     * Kills the processes that were started since {@code sinceNanos} ({@link System#nanoTime()}, taken
     * as the cell began) and still live: those in this JVM's cgroup, or else its descendants and its
     * process group. Processes earlier cells started keep running. Returns how many were killed.
     */
    public int killProcessesStartedSince(long sinceNanos) {
        double cellStartUptime = ProcFs.uptimeSeconds() - (System.nanoTime() - sinceNanos) / 1e9;
        if (Double.isNaN(cellStartUptime)) return 0;
        java.util.Set<Long> members = new java.util.LinkedHashSet<>();
        if (cgroup != null) {
            // every process the JVM started, however it detached
            members.addAll(cgroup.processes());
        } else {
            process.toHandle().descendants().forEach(p -> members.add(p.pid()));
            members.addAll(ProcFs.processGroupMembers(process.pid()));
        }
        members.remove(process.pid());
        int killed = 0;
        // the kernel's clock ticks are 10 ms: a process started in the tick the cell began counts as the cell's
        for (long pid : members) {
            double started = ProcFs.startSeconds(pid);
            if (started >= cellStartUptime - 0.01) {
                if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) killed++;
            }
        }
        return killed;
    }

    /** The tasks (threads of the JVM and of its processes) its cgroup held at most, or -1 without a cgroup. */
    public long peakTasks() {
        return cgroup == null ? -1 : cgroup.peak();
    }

    // ---- crashes ----

    private static volatile Path crashDir;
    private static volatile String fallbackLimit;

    /** What capped the last execution JVM started without a cgroup (RLIMIT_NPROC, or why not), or null. */
    public static String fallbackLimit() {
        return fallbackLimit;
    }

    /**
     * The folder for crash logs of execution JVMs: {@code threadlab-crashes-USER} in the temp folder,
     * one per user (kernels are often killed, and a folder per kernel would litter it), open to that
     * user only; a private temp folder when that name is taken by someone else.
     */
    static Path crashDir() throws IOException {
        Path d = crashDir;
        if (d == null) {
            synchronized (ExecutionJvm.class) {
                if (crashDir == null) crashDir = makeCrashDir();
                d = crashDir;
            }
        }
        return d;
    }

    private static Path makeCrashDir() throws IOException {
        String me = System.getProperty("user.name", "user");
        Path shared = Path.of(System.getProperty("java.io.tmpdir"), "threadlab-crashes-" + me.replaceAll("[^A-Za-z0-9._-]", "_"));
        java.nio.file.LinkOption noFollow = java.nio.file.LinkOption.NOFOLLOW_LINKS;
        try {
            if (!Files.exists(shared, noFollow)) {
                Files.createDirectory(shared, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
            if (Files.isDirectory(shared, noFollow) && Files.getOwner(shared, noFollow).getName().equals(me)) return shared;
        } catch (IOException | UnsupportedOperationException e) {
            // taken by another user, or no POSIX permissions here: a private folder instead
        }
        return Files.createTempDirectory("threadlab-crashes-");
    }

    /**
     * Why this JVM ended, for the student: the signal that ended it, or its exit status, and where
     * its crash log is. Waits up to a second for the process to be reaped.
     */
    public String deathCause() {
        try {
            process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (process.isAlive()) return "the execution JVM stopped answering";
        int status = process.exitValue();
        Path log = crashDir == null ? null : crashDir.resolve("hs_err_pid" + process.pid() + ".log");
        boolean hasLog = log != null && Files.isRegularFile(log);
        String fatal = hasLog ? ProcFs.crashSignal(log) : null;
        StringBuilder sb = new StringBuilder();
        if (hasLog) {
            // HotSpot catches the fatal signal, writes its log and exits (status 1, or SIGABRT with core dumps on)
            sb.append("the execution JVM crashed");
            if (fatal != null) sb.append(" on ").append(fatal);
            sb.append(" (a fault in native code or in the JVM: memory written through sun.misc.Unsafe, or a signal sent to it)");
        } else if (status > 128) {
            int sig = status - 128;
            sb.append("the execution JVM was ended by signal ").append(sig).append(" (").append(ProcFs.signalName(sig))
                    .append(sig == 9 ? ": killed from outside, by kill -9 or the system's out-of-memory killer" : "").append(")");
        } else {
            sb.append("the execution JVM exited with status ").append(status)
                    .append(" (Runtime.halt, or System.exit from a thread the kernel could not intercept)");
        }
        if (hasLog) sb.append("; its crash log is ").append(log);
        return sb.toString();
    }

    static void destroyTree(ProcessHandle root, long graceMs) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root);
        // the execution JVM leads its own process group: this also reaches processes that cells started and
        // that were orphaned (a shell that ran "sleep 1000 &" and exited)
        GroupLeaderLauncher.killGroup(root.pid());
        // SIGKILL at once: these are a cell's runaway processes, and the execution JVM's state is being thrown away
        for (ProcessHandle p : all) p.destroyForcibly();
        long deadline = System.currentTimeMillis() + Math.max(graceMs, 200);
        for (ProcessHandle p : all) {
            while (p.isAlive() && System.currentTimeMillis() < deadline) sleep(5);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
