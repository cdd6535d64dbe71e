package org.threadlab.kernel;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.threadlab.agent.protocol.Message.LiveThread;
import org.threadlab.kernel.exec.CellStopper;
import org.threadlab.kernel.magic.Magics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * ThreadLab's Jupyter kernel: jjava-jupyter speaks the protocol, JShell compiles the cells, and a
 * supervised execution JVM runs them (see {@link org.threadlab.kernel.exec.ExecutionJvm}).
 *
 * <pre>{@code
 * ThreadLabKernel kernel = ThreadLabKernel.builder().config(KernelConfig.defaults()).build();
 * kernel.start();                                   // execution JVM starts in the background
 * ThreadLabKernel.CellResult r = kernel.execute("1 + 1");
 * System.out.println(r.text());                     // 2
 * kernel.onShutdown(false);
 * }</pre>
 */
public final class ThreadLabKernel extends BaseKernel {
    static final String VERSION = "0.1.0";

    private final KernelConfig config;
    final CellOutput output = new CellOutput();
    private final KernelHistory history;
    /** The running session, or its start; replaced when a start failed (see {@link #session()}). */
    private volatile CompletableFuture<Session> session = new CompletableFuture<>();
    private volatile int runningCell = -1;
    private final LimitPolicy limits = new LimitPolicy(this);
    private final CellProgress progress = new CellProgress(output);
    private final ThreadNotices notices = new ThreadNotices(output,
            cell -> sessionStarted() ? session().liveThreadsIfAnswered(cell, 1000) : java.util.Optional.empty());

    private ThreadLabKernel(Builder b, KernelConfig config, KernelHistory history) {
        super("ThreadLab", VERSION,
                new LanguageInfo("java", Runtime.version().toString(), "text/x-java", ".java", "java", "text/x-java", "script"),
                List.of(new org.dflib.jjava.jupyter.kernel.HelpLink("Java API", "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/")),
                history, new JupyterIO(b.charset()), new CommManager(), new Renderer(),
                b.parser(), b.registry(), false, b.styler());
        this.config = config;
        this.packageIndexWaitMs = b.packageIndexWaitMs;
        this.history = history;
        Magics.registerAll(magicsRegistry);
        // an exception that ended a cell's thread is an error output of that cell, never the cell's
        // execute_reply: Run All goes on, as it would in a JVM where another thread failed
        output.onThreadFailed((cell, failed) -> {
            Session.Error e = CellErrors.threadError(failed);
            output.error(cell, e.name(), e.message(), e.traceback());
        });
        output.onLimit((cell, hit) -> {
            Thread t = new Thread(() -> limits.onLimit(cell, hit), "threadlab-limit");
            t.setDaemon(true);
            t.start();
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a kernel; every setting has a default, so {@code builder().build()} works. */
    public static final class Builder extends BaseKernelBuilder<Builder, ThreadLabKernel> {
        private KernelConfig config;
        private long packageIndexWaitMs = 2000;

        public Builder config(KernelConfig config) {
            this.config = config;
            return this;
        }

        /**
         * How long a completion or an inspect waits for JShell's index of the class path (default
         * 2 s: a Tab that hangs is worse than a first completion without package names). Tests that
         * assert what the index finds wait longer, so a busy machine cannot decide them.
         */
        public Builder packageIndexWait(java.time.Duration wait) {
            this.packageIndexWaitMs = wait.toMillis();
            return this;
        }

        java.nio.charset.Charset charset() {
            return buildJupyterIOEncoding();
        }

        MagicParser parser() {
            return magicParser;
        }

        MagicsRegistry registry() {
            return buildMagicsRegistry();
        }

        StringStyler styler() {
            return buildErrorStyler();
        }

        @Override
        public ThreadLabKernel build() {
            return new ThreadLabKernel(this, config != null ? config : KernelConfig.fromEnvironment(), new KernelHistory());
        }
    }

    /** Starts JShell and the execution JVM on a background thread, so kernel_info is answered at once. */
    public void start() {
        startSession(session);
    }

    private void startSession(CompletableFuture<Session> session) {
        Thread t = new Thread(() -> {
            try {
                Session s = new Session(config, output);
                s.onRestart(() -> {
                    int during = runningCell;
                    notices.settleAll(n -> "[" + (n == 1 ? "the thread" : "the " + n + " threads") + " this cell left running ended: "
                            + "the execution JVM was restarted" + (during >= 0 ? " during cell [" + during + "]" : "") + "]");
                });
                s.start();
                // compile once now: the first cell a student runs should not pay for javac's start-up
                s.run(0, "int $threadlab$warmup = 1 + 1;");
                int firstCell = executionCount.get();
                session.complete(s);
                // Then, unless a cell came meanwhile (it has the lock already and goes first), run
                // the rest of what every cell runs once: an expression (JShell's temporary variable,
                // the renderer), a declaration that drops that variable as each cell does the one
                // before's, and the question to the execution JVM which threads are left. Without
                // it a student's first cell took 85-110 ms, with it 50-75 ms.
                synchronized (ThreadLabKernel.this) {
                    if (executionCount.get() == firstCell) {
                        s.run(0, "1 + 1");
                        s.run(0, "int $threadlab$warmup = 1 + 1;");
                        s.liveThreads(0);
                    }
                    // javac's start-up garbage is gone now: give the heap back (MaxHeapFreeRatio) so an
                    // idle kernel stays small; under the lock, so that no cell waits in the pause
                    System.gc();
                }
            } catch (Throwable e) {
                session.completeExceptionally(e);
            }
        }, "threadlab-session-start");
        t.setDaemon(true);
        t.start();
    }

    Session session() {
        CompletableFuture<Session> f = session;
        if (f.isCompletedExceptionally()) f = startAgain(f);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the execution JVM started");
        } catch (ExecutionException e) {
            throw new IllegalStateException("The execution JVM could not start: " + e.getCause()
                    + ". The next cell starts it again. If that fails too: on a busy machine give it longer"
                    + " (THREADLAB_START_TIMEOUT, in seconds, now " + config.startTimeoutMs() / 1000 + ", in the kernelspec's env);"
                    + " otherwise check that the JDK has the jdk.jshell and jdk.jdi modules (a full JDK, not a JRE).", e.getCause());
        }
    }

    /**
     * A start that failed (on a machine too busy to start a JVM in time, say) is tried again by the
     * next request that needs the session, instead of leaving the kernel broken until a restart.
     */
    private synchronized CompletableFuture<Session> startAgain(CompletableFuture<Session> failed) {
        if (session == failed) {
            CompletableFuture<Session> next = new CompletableFuture<>();
            session = next;
            startSession(next);
        }
        return session;
    }

    /** Whether the session is up (so {@link #session()} does not wait). */
    boolean sessionStarted() {
        CompletableFuture<Session> f = session;
        return f.isDone() && !f.isCompletedExceptionally();
    }

    public KernelConfig config() {
        return config;
    }

    public CellOutput output() {
        return output;
    }

    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        output.attach(connection.getIOPub());
    }

    // ---- execute ----

    /** The outcome of one cell, for in-process use and tests. */
    public record CellResult(String text, String richJson, Session.Error error, String note) {
        public boolean ok() {
            return error == null;
        }

        /** The error as one line ("Name: message"), or null: for magics outside this package. */
        public String errorText() {
            return error == null ? null : error.name() + ": " + error.message();
        }
    }

    // JShell is single-threaded: everything that uses it holds the kernel (in-process callers may come from several threads)
    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        ExecuteRequest request = message.getContent();
        int count = executionCount.getAndIncrement();
        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(request.getCode(), count));
        output.beginCell(count, message);
        CellResult r;
        try {
            r = run(count, request.getCode());
        } catch (RuntimeException e) {
            r = new CellResult(null, null, new Session.Error(e.getClass().getSimpleName(), String.valueOf(e.getMessage()),
                    List.of("The kernel failed to run the cell: " + e)), null);
        }
        output.flush();
        history.add(count, request.getCode(), r.text());
        if (r.ok()) {
            if (r.text() != null && !r.text().isEmpty()) {
                env.publish(new PublishExecuteResult(count, displayData(r)));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } else {
            Session.Error e = r.error();
            List<String> tb = new ArrayList<>();
            for (String line : e.traceback()) tb.addAll(line.lines().toList());
            env.publish(new PublishError(e.name(), e.message(), tb));
            ErrorReply reply = new ErrorReply(e.name(), e.message(), tb);
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        }
    }

    private static DisplayData displayData(CellResult r) {
        DisplayData d = new DisplayData(r.text());
        if (r.richJson() != null) {
            JsonObject content = JsonParser.parseString(r.richJson()).getAsJsonObject();
            JsonObject data = content.getAsJsonObject("data");
            for (Map.Entry<String, com.google.gson.JsonElement> e : data.entrySet()) {
                d.putData(e.getKey(), e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue());
            }
        }
        return d;
    }

    /** Runs a cell's code (magics included) as cell {@code count}; output goes to {@link #output}. */
    public CellResult run(int count, String code) {
        Session s = session();
        runningCell = count;
        progress.begin(count);
        try {
            Magics.Parsed parsed = Magics.parse(code);
            if (parsed.cellMagic() != null) {
                return runCellMagic(parsed);
            }
            return runCode(s, count, parsed.code(), parsed.lineMagics());
        } finally {
            progress.end(count);
            runningCell = -1;
            // the cell's own lines first, then the notice of what it left running: the agent answers which
            // threads are left behind every frame it sent before, so that question waits for the output too
            if (count < 0) s.jvm().agent().sync(2000);
            reportSurvivors(s, count);
            output.flush();
        }
    }

    /** Runs the line magics in order, then the code. */
    CellResult runCode(Session s, int count, String code, List<Magics.Line> lineMagics) {
        for (Magics.Line m : lineMagics) {
            try {
                Object out = magicsRegistry.evalLineMagic(this, m.name(), m.args());
                if (out != null) output.text(count, false, out + (out.toString().endsWith("\n") ? "" : "\n"));
            } catch (Exception e) {
                return new CellResult(null, null, new Session.Error("MagicError", "%" + m.name() + ": " + e.getMessage(),
                        List.of("%" + m.name() + " failed: " + e.getMessage())), null);
            }
        }
        if (code.isBlank()) return new CellResult(null, null, null, null);
        Session.Outcome o = s.run(count, code);
        if (o.note() != null && o.ok()) output.kernelNote(count, o.note());
        return new CellResult(o.valueText(), o.valueJson(), o.error(), o.note());
    }

    private CellResult runCellMagic(Magics.Parsed parsed) {
        try {
            return magicsRegistry.evalCellMagic(this, parsed.cellMagic(), parsed.cellArgs(), parsed.code());
        } catch (Exception e) {
            String msg = e.getMessage() != null ? e.getMessage() : e.toString();
            return new CellResult(null, null, new Session.Error("MagicError", "%%" + parsed.cellMagic() + ": " + msg,
                    List.of("%%" + parsed.cellMagic() + " failed: " + msg,
                            "Known cell magics: %%" + String.join(", %%", magicsRegistry.getCellMagicNames()))), null);
        }
    }

    // ---- for magics ----

    /** The cell now running, or -1. */
    public int currentCell() {
        return runningCell;
    }

    /** Runs {@code code} as the body of the current cell (what a cell magic wraps). */
    public CellResult runBody(String code) {
        Magics.Parsed parsed = Magics.parse(code);
        return runCode(session(), runningCell, parsed.code(), parsed.lineMagics());
    }

    /** Writes a line of the kernel's own into the current cell's output. */
    public void print(String text) {
        output.text(runningCell, false, text.endsWith("\n") ? text : text + "\n");
    }

    /** The PID of the JVM that runs the cells. */
    public long executionPid() {
        return session().executionPid();
    }

    /** Makes jars or class folders usable in the following cells. */
    public void addToClasspath(String path) {
        session().shell().addToClasspath(path);
    }

    /** Live threads started by cell {@code cell} (all cells for -1). */
    public List<LiveThread> liveThreads(int cell) {
        return session().liveThreads(cell);
    }

    /**
     * What stopping the threads of some cells did: the stopper's report for each cell it stopped, in
     * cell order; when threads of a cell would not stop, that cell ({@code restartedAt}) and the note of
     * the restart of the execution JVM that ended them; and the later cells whose threads ended with
     * that restart, unstopped one by one.
     */
    public record StopOutcome(java.util.SortedMap<Integer, CellStopper.StopReport> reports, int restartedAt, String restartNote,
                              java.util.SortedSet<Integer> endedByRestart) {
        public boolean restarted() {
            return restartNote != null;
        }
    }

    /** Interrupts, then forces, the threads cell {@code cell} left running; {@code by} ("%stop") is named in the cell's notice. */
    public StopOutcome stopThreads(int cell, String by) {
        return stopCells(new java.util.TreeSet<>(java.util.Set.of(cell)), by);
    }

    /**
     * Stops the threads every earlier cell left running (not the running cell's): what {@code %stop all}
     * and {@link #reset()} do.
     */
    public StopOutcome stopEarlierCells(String by) {
        Session s = session();
        java.util.TreeSet<Integer> cells = new java.util.TreeSet<>();
        for (LiveThread t : s.liveThreads(-1)) if (t.cell() >= 0) cells.add(t.cell());
        cells.addAll(notices.open());
        cells.remove(runningCell);
        return stopCells(cells, by);
    }

    private StopOutcome stopCells(java.util.SortedSet<Integer> cells, String by) {
        Session s = session();
        java.util.SortedMap<Integer, CellStopper.StopReport> reports = new java.util.TreeMap<>();
        java.util.SortedSet<Integer> ended = new java.util.TreeSet<>();
        int restartedAt = -1;
        String note = null;
        notices.hold(cells);
        try {
            for (int cell : cells) {
                if (note != null) {
                    // the restart ended every thread of the old JVM
                    ended.add(cell);
                    continue;
                }
                Session.Stopped st = s.stopThreadsOf(cell);
                reports.put(cell, st.report());
                if (st.restartNote() != null) {
                    restartedAt = cell;
                    note = st.restartNote();
                } else if (st.report().interrupted() > 0) {
                    int n = st.report().interrupted();
                    notices.settle(cell, "[" + (n == 1 ? "the thread" : "the " + n + " threads") + " this cell left running "
                            + (n == 1 ? "was" : "were") + " stopped by " + by + (runningCell >= 0 ? " in cell [" + runningCell + "]" : "") + "]");
                }
            }
        } finally {
            notices.release(cells);
        }
        return new StopOutcome(reports, restartedAt, note, ended);
    }

    /** What {@link #reset()} cleared; {@code restartNote} is set when threads would not stop and the execution JVM was restarted. */
    public record ResetSummary(int variables, int methods, int types, int imports, int threadsStopped, String restartNote) {}

    /**
     * Forgets what the cells defined and stops the threads they left running, keeping the kernel,
     * the default imports and the class path, and the execution JVM unless threads would not stop.
     */
    public ResetSummary reset() {
        StopOutcome stop = stopEarlierCells("%reset");
        int stopped = stop.reports().values().stream().mapToInt(CellStopper.StopReport::interrupted).sum();
        Session.ResetReport r = session().reset();
        return new ResetSummary(r.variables(), r.methods(), r.types(), r.imports(), stopped, stop.restartNote());
    }

    /** The static type of {@code code} when it is a single expression ("void" for a void call), else null. */
    public String expressionType(String code) {
        return session().expressionType(code);
    }

    /** Drops the helper snippets the kernel compiled (names starting with {@code $threadlab$}). */
    public void dropKernelSnippets() {
        session().dropKernelOwn();
    }

    /** The number {@link #execute} gives the next cell. */
    int nextCellNumber() {
        return executionCount.get();
    }

    /** Convenience for tests and embedding: runs the next cell. */
    public synchronized CellResult execute(String code) {
        return run(executionCount.getAndIncrement(), code);
    }

    /** The cell's notice of the threads it left running (see {@link ThreadNotices}), after its own output. */
    private void reportSurvivors(Session s, int cell) {
        if (cell < 0) return;
        output.flush();
        notices.show(cell, s.liveThreads(cell));
    }

    // ---- replies jjava-jupyter 1.0-a6 sends without the protocol's "status" ----

    /** kernel_info_reply with {@code "status": "ok"}, which the protocol (5.x) requires. */
    private static final class KernelInfo extends org.dflib.jjava.jupyter.messages.reply.KernelInfoReply {
        @SuppressWarnings("unused") // serialised by gson
        private final String status = "ok";

        KernelInfo(ThreadLabKernel k) {
            super(org.dflib.jjava.jupyter.messages.Header.PROTOCOL_VERISON, k.getName(), k.getVersion(), k.getLanguageInfo(),
                    k.getBanner(), k.getHelpLinks());
        }
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<org.dflib.jjava.jupyter.messages.request.KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new KernelInfo(this));
    }

    /** history_reply as the protocol has it: status, and entries as [session, line, input or [input, output]]. */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<org.dflib.jjava.jupyter.messages.request.HistoryRequest> message) {
        var request = message.getContent();
        env.setBusyDeferIdle();
        java.util.Set<org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag> flags =
                java.util.EnumSet.noneOf(org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag.class);
        if (request.includeOutput()) flags.add(org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        List<org.dflib.jjava.jupyter.kernel.history.HistoryEntry> entries = switch (request.getAccessType()) {
            case TAIL -> history.lookupTail(((org.dflib.jjava.jupyter.messages.request.HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                var r = (org.dflib.jjava.jupyter.messages.request.HistoryRequest.Range) request;
                yield history.lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
            }
            case SEARCH -> {
                var r = (org.dflib.jjava.jupyter.messages.request.HistoryRequest.Search) request;
                if (r.filterUnique()) flags.add(org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag.UNIQUE);
                yield history.search(r.getPattern(), r.getMaxReturnLength(), flags);
            }
        };
        com.google.gson.JsonArray list = new com.google.gson.JsonArray();
        for (var e : entries) {
            com.google.gson.JsonArray tuple = new com.google.gson.JsonArray();
            tuple.add(e.getSession());
            tuple.add(e.getCellNumber());
            if (e.hasOutput()) {
                com.google.gson.JsonArray io = new com.google.gson.JsonArray();
                io.add(e.getInput());
                io.add(e.getOutput());
                tuple.add(io);
            } else {
                tuple.add(e.getInput());
            }
            list.add(tuple);
        }
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        content.add("history", list);
        env.reply(new Message(message, org.dflib.jjava.jupyter.messages.MessageType.HISTORY_REPLY, content));
    }

    // ---- interrupt ----

    @Override
    public void interrupt() {
        if (runningCell < 0 || !sessionStarted()) return;
        progress.interrupted();
        Session s = session();
        s.interrupt();
    }

    // ---- completion, inspection ----

    @Override
    public Object evalRaw(String source) {
        throw new UnsupportedOperationException("use run(...)");
    }

    @Override
    public synchronized ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        session().ensurePackageIndex(packageIndexWaitMs);
        List<SourceCodeAnalysis.Suggestion> suggestions = session().shell().sourceCodeAnalysis().completionSuggestions(code, at, anchor);
        List<String> options = suggestions.stream().map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
        return new ReplacementOptions(options, anchor[0], at);
    }

    /** See {@link Builder#packageIndexWait}, in ms. */
    private final long packageIndexWaitMs;

    /** Javadoc from the library's sources, found on the first inspect. */
    private SourceDocs sourceDocs;

    @Override
    public synchronized DisplayData inspect(String code, int at, boolean extraDetail) {
        if (sourceDocs == null) sourceDocs = SourceDocs.forClassPath(config.cellClassPath());
        // as for completion: without JShell's index of the class path, a type of the library is not found on the first inspect
        session().ensurePackageIndex(packageIndexWaitMs);
        return Inspector.inspect(session().shell(), sourceDocs, code, at, extraDetail);
    }

    @Override
    public synchronized String isComplete(String code) {
        return Completeness.of(session().shell(), code);
    }

    // ---- shutdown ----

    @Override
    public void onShutdown(boolean isRestarting) {
        notices.close();
        progress.close();
        if (sessionStarted()) session.join().close();
        output.close();
    }
}
