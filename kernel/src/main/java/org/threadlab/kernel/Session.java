package org.threadlab.kernel;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import org.threadlab.agent.protocol.Message;
import org.threadlab.kernel.exec.CellStopper;
import org.threadlab.kernel.exec.ExecutionJvm;
import org.threadlab.kernel.exec.FrameSink;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One JShell and the execution JVM under it, with what is needed to rebuild both: the source of
 * every declaration that is still in force, by cell. Not thread-safe except {@link #interrupt},
 * which the control channel calls while a cell runs on the shell thread.
 */
final class Session implements AutoCloseable {
    /** Imports every cell has, so the helper library needs no set-up line. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "import java.util.*;", "import java.util.concurrent.*;", "import java.util.concurrent.atomic.*;",
            "import java.util.concurrent.locks.*;", "import java.util.function.*;", "import java.util.stream.*;",
            "import java.io.*;", "import java.nio.file.*;", "import java.time.*;", "import java.math.*;", "import java.net.*;",
            "import org.threadlab.display.*;", "import org.threadlab.run.*;", "import org.threadlab.ipc.*;",
            "import static org.threadlab.ThreadLab.*;", "import static org.threadlab.grading.Grading.*;",
            "import static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.display;",
            "import static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.render;",
            "import static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.updateDisplay;");

    private final KernelConfig config;
    private final FrameSink sink;
    private JShell shell;
    private PackageIndexScope packageIndex;
    private volatile ExecutionJvm jvm;
    /** The cell of each snippet (-1 for the kernel's own set-up); the order of declarations is JShell's, see {@link #snapshotDeclarations}. */
    private final Map<String, Integer> cellOfSnippet = new HashMap<>();
    /** Snippet id -> the cell line its source starts on, for tracebacks. */
    private final Map<String, Integer> lineOfSnippet = new HashMap<>();
    private List<Declaration> declarations = List.of();
    /** The unnamed values ({@code $1}) of the last cell, dropped when the next one runs (see {@link #dropShownValues}). */
    private final List<Snippet> shownValues = new ArrayList<>();
    private volatile int runningCell = -1;
    private volatile boolean closed;
    /** Completed by the control thread when an interrupt of the running cell has done its work. */
    private volatile java.util.concurrent.CompletableFuture<CellStopper.StopReport> stopping;
    private volatile String stopReason;
    /** When the running cell began ({@link System#nanoTime()}): processes started since are the cell's. */
    private volatile long cellStartNanos;
    /** When the last cell ended ({@link System#nanoTime()}). */
    private volatile long lastCellEndNanos = System.nanoTime() - BACK_TO_BACK_NANOS;
    /**
     * The processes live when the running cell began, when it began right after the cell before
     * (pid to start ticks); otherwise empty. A process's start time is known to 10 ms: one the cell
     * before started moments earlier would look like this cell's, and an interrupt would kill it.
     */
    private volatile java.util.Map<Long, Long> earlierProcesses = java.util.Map.of();
    /** Closer than this, two cells' processes cannot be told apart by their start times. */
    private static final long BACK_TO_BACK_NANOS = 100_000_000L;
    /** How many processes the last interrupt killed. */
    private volatile int processesKilled;
    /** The cgroup's count of refused tasks when the running cell began. */
    private volatile long cellStartRefusals;

    record Declaration(int cell, String source) {}

    Session(KernelConfig config, FrameSink sink) {
        this.config = config;
        this.sink = sink;
    }

    /** Starts JShell and its execution JVM and runs the default imports. */
    void start() {
        ExecutionJvm.Provider provider = new ExecutionJvm.Provider(config.executionOptions(), sink, j -> jvm = j);
        packageIndexSeenReady = false; // a restart builds a new JShell, with an index of its own
        shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .fileManager(std -> packageIndex = new PackageIndexScope(std))
                .out(new PrintStream(OutputStream.nullOutputStream()))
                .err(new PrintStream(OutputStream.nullOutputStream()))
                .in(InputStream.nullInputStream())
                .build();
        // the execution JVM is starting meanwhile: javac compiles the imports in parallel
        shell.addToClasspath(String.join(java.io.File.pathSeparator, config.cellClassPath()));
        for (String imp : DEFAULT_IMPORTS) shell.eval(imp);
        try {
            provider.awaitStarted();
        } catch (jdk.jshell.spi.ExecutionControl.ExecutionControlException e) {
            shell.close();
            throw new IllegalStateException(e.getMessage(), e);
        }
        setCell(-1);
        for (String imp : config.extraStartup()) shell.eval(imp);
        endCell(-1);
        if (jvm.cgroup() == null && !warnedNoCgroup) {
            warnedNoCgroup = true;
            String why = config.executionOptions().maxTasks() == 0 ? "THREADLAB_CGROUP=off" : org.threadlab.kernel.exec.PidsCgroup.unavailableReason();
            String nproc = ExecutionJvm.fallbackLimit();
            Main.log("no pids cgroup for the execution JVM (" + why + "): a process a cell detaches with setsid can outlive"
                    + " the kernel, and the thread and process limits rest on the kernel's counting every 100 ms"
                    + (nproc != null && nproc.startsWith("RLIMIT") ? " and on " + nproc : " alone (no RLIMIT_NPROC: " + nproc + ")")
                    + ". Run the kernel as root, or give it a delegated cgroup v2 subtree with the pids controller, for the full cap.");
        }
    }

    private static boolean warnedNoCgroup;

    JShell shell() {
        return shell;
    }

    /**
     * Builds JShell's package index if it is not built yet, waiting up to {@code maxWaitMs} for it,
     * so that the first completion of a package name finds it (see {@link PackageIndexScope}).
     */
    void ensurePackageIndex(long maxWaitMs) {
        if (packageIndex == null || packageIndexSeenReady) return;
        // JShell re-indexes when its class path changes: adding a path it has already is enough
        if (packageIndex.enable()) shell.addToClasspath(config.cellClassPath().get(0));
        // also when an earlier caller (inspect, then completion) gave up waiting: the index may still be building
        long deadline = System.nanoTime() + maxWaitMs * 1_000_000;
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        while (!sca.listQualifiedNames("String", 6).isUpToDate()) {
            if (System.nanoTime() >= deadline) return;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        packageIndexSeenReady = true;
    }

    /** The package index was seen complete once: later calls need not ask again. */
    private boolean packageIndexSeenReady;

    ExecutionJvm jvm() {
        return jvm;
    }

    long executionPid() {
        ExecutionJvm j = jvm;
        return j == null ? -1 : j.pid();
    }

    void setCell(int cell) {
        try {
            jvm.agent().startCell(cell);
        } catch (Exception e) {
            // a dead JVM is noticed by the next eval
        }
    }

    /** Lets the agent end the thread that ran the cell's snippets. */
    private void endCell(int cell) {
        try {
            ExecutionJvm j = jvm;
            if (j != null && !j.isDead()) j.agent().endCell(cell);
        } catch (Exception e) {
            // a dead or restarted JVM has no worker left
        }
    }

    // ---- running a cell ----

    /** The result of running the code of one cell. */
    record Outcome(String valueText, String valueJson, Error error, boolean restarted, String note) {
        boolean ok() {
            return error == null;
        }
    }

    /** A failure to show: name, message, and the lines of its traceback. */
    record Error(String name, String message, List<String> traceback) {}

    /** Splits {@code code} into snippets and runs them in order, stopping at the first failure. */
    Outcome run(int cell, String code) {
        cellStartNanos = System.nanoTime();
        ExecutionJvm atStart = jvm;
        earlierProcesses = atStart != null && cellStartNanos - lastCellEndNanos < BACK_TO_BACK_NANOS
                ? atStart.processSnapshot() : java.util.Map.of();
        cellStartRefusals = atStart != null && atStart.cgroup() != null ? atStart.cgroup().refusals() : 0;
        runningCell = cell;
        stopping = null;
        stopReason = null;
        processesKilled = 0;
        dropShownValues();
        boolean ended = false;
        try {
            setCell(cell);
            SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
            String remaining = code;
            String valueText = null;
            Snippet last = null;
            while (!remaining.isBlank()) {
                int offset = code.length() - remaining.length();
                SourceCodeAnalysis.CompletionInfo info = sca.analyzeCompletion(remaining);
                String source = info.source();
                if (info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE
                        || info.completeness() == SourceCodeAnalysis.Completeness.CONSIDERED_INCOMPLETE) {
                    return fail(new Error("CompileError", "the cell ends in the middle of a statement",
                            List.of("The cell ends before the code is complete: check for a missing '}', ')' or ';'.",
                                    CellErrors.caret(code, code.length() - 1))));
                }
                if (source == null || source.isBlank()) {
                    source = remaining;
                    remaining = "";
                } else {
                    remaining = info.remaining();
                }
                int start = offset + Math.max(0, code.substring(offset).indexOf(firstToken(source)));
                List<SnippetEvent> events = shell.eval(source);
                Error err = null;
                for (SnippetEvent e : events) {
                    if (e.causeSnippet() != null) continue;
                    Snippet s = e.snippet();
                    cellOfSnippet.put(s.id(), cell);
                    lineOfSnippet.put(s.id(), CellErrors.lineOf(code, start));
                    if (isTempVar(s)) shownValues.add(s);
                    if (e.status() == Snippet.Status.REJECTED) {
                        err = CellErrors.compileError(shell, s, code, start);
                    } else if (e.exception() != null) {
                        err = runtimeError(e.exception(), code, start);
                    } else if ((s instanceof ExpressionSnippet || isTempVar(s)) && !isDisplayCall(source)) {
                        valueText = e.value();
                        last = s;
                    } else {
                        valueText = null;
                        last = s;
                    }
                    if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                        sink.text(cell, true, CellErrors.recoverable(shell, (DeclarationSnippet) s) + "\n");
                    }
                }
                if (stopping != null) return interrupted(cell);
                if (jvmDied()) return restartAfterDeath(cell);
                if (err != null) return fail(atCap(cell, err));
            }
            String json = null;
            if (valueText != null && last != null) {
                try {
                    json = jvm.agent().endCellAndRender(cell);
                    ended = true;
                } catch (Exception e) {
                    // not rendered: plain text says it (a dead JVM is noticed by the next cell)
                }
            }
            return new Outcome(valueText, json, null, false, null);
        } catch (IllegalStateException e) {
            // JShell closes itself when its execution JVM dies mid-eval
            if (stopping != null) return interrupted(cell);
            return restartAfterDeath(cell);
        } finally {
            if (!ended) endCell(cell);
            runningCell = -1;
            snapshotDeclarations();
            lastCellEndNanos = System.nanoTime();
        }
    }

    /**
     * {@code display(x)} returns the display id (as in IJava) so that {@code updateDisplay} can use
     * it; shown as the cell's value it would only be noise under the picture.
     */
    private static boolean isDisplayCall(String source) {
        String s = source.strip();
        return s.startsWith("display(") || s.startsWith("updateDisplay(");
    }

    /**
     * Forgets the values that earlier cells showed ({@code $1}, {@code $2}, ... in JShell). JShell
     * compiles every new snippet against an import of each declaration still in force, so keeping
     * them made every cell slower than the last (a {@code 1+1} took 15 ms after 50 cells, 35 ms
     * after 300); a value worth keeping gets a name: {@code var x = ...;}.
     */
    private void dropShownValues() {
        for (Snippet s : shownValues) {
            try {
                if (shell.status(s).isActive()) shell.drop(s);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // from a JShell that a restart replaced, or closed: nothing to drop
            }
        }
        shownValues.clear();
    }

    private static boolean isTempVar(Snippet s) {
        return s instanceof VarSnippet && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
    }

    private static String firstToken(String source) {
        String t = source.strip();
        int nl = t.indexOf('\n');
        if (nl > 0) t = t.substring(0, nl);
        return t.length() > 12 ? t.substring(0, 12) : t;
    }

    /**
     * When the operating system refused a thread or process during the cell (the cgroup's cap), the
     * cell's error (an OutOfMemoryError "unable to create native thread", or an IOException from
     * ProcessBuilder) is the symptom: stop the cell's threads and processes and say which limits.
     */
    private Error atCap(int cell, Error err) {
        ExecutionJvm j = jvm;
        if (j == null || j.cgroup() == null || j.cgroup().refusals() <= cellStartRefusals) return err;
        CellStopper.StopReport r = j.stopCell(cell, config.interruptGraceMs(), config.interruptForceMs());
        int killed = j.killProcessesStartedSince(cellStartNanos, earlierProcesses);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Stopped: the operating system refused the cell a new thread or process: the execution JVM"
                        + " reached its cap of %d tasks, set from the limit of %d platform threads (THREADLAB_MAX_THREADS) and the"
                        + " limit of %d processes (THREADLAB_MAX_PROCESSES) in the kernelspec's env. Use a thread pool, or virtual"
                        + " threads, for many tasks.", j.cgroup().max(), config.maxThreads(), config.maxProcesses()));
        lines.add("The cell's threads were stopped" + (killed > 0 ? " and its " + killed + " process" + (killed == 1 ? " was" : "es were") + " killed" : "") + ".");
        lines.add("It failed with: " + err.name() + ": " + err.message());
        if (!r.clean()) {
            j.kill();
            lines.add(restart(cell, "these threads could not be stopped: " + String.join(", ", r.survivors())).note());
        }
        return new Error("LimitReached", "the execution JVM reached its cap on threads and processes", lines);
    }

    private Outcome fail(Error e) {
        return new Outcome(null, null, e, false, null);
    }

    private Error runtimeError(JShellException ex, String code, int start) {
        if (ex instanceof UnresolvedReferenceException ure) {
            DeclarationSnippet s = ure.getSnippet();
            return new Error("UnresolvedReference", s.name() + " cannot run yet",
                    List.of(CellErrors.recoverable(shell, s)));
        }
        EvalException ee = (EvalException) ex;
        if ("org.threadlab.agent.ExitBlocked".equals(ee.getExceptionClassName())) {
            return new Error("SystemExit", ee.getMessage(), List.of("System.exit was called: " + ee.getMessage()));
        }
        return CellErrors.runtimeError(ee, this::cellLine);
    }

    /** Where a snippet's line is in its cell: "cell 7, line 3", from the snippet id in a frame. */
    private String cellLine(String snippetFile, int line) {
        String id = snippetFile.startsWith("#") ? snippetFile.substring(1) : snippetFile;
        Integer cell = cellOfSnippet.get(id);
        if (cell == null || cell < 0) return snippetFile + ":" + line;
        int first = lineOfSnippet.getOrDefault(id, 1);
        return "cell [" + cell + "], line " + (first + line - 1);
    }

    // ---- interrupting, restarting ----

    /**
     * Stops the running cell: interrupts its threads, then forces them, then, when some cannot be
     * stopped (blocked on a monitor), ends the execution JVM; the shell thread notices and rebuilds.
     */
    CellStopper.StopReport interrupt() {
        return interrupt(null);
    }

    /** {@link #interrupt()}, with the reason the cell shows (a limit it passed), or null for the user's interrupt. */
    CellStopper.StopReport interrupt(String reason) {
        return interrupt(reason, () -> {});
    }

    /**
     * {@link #interrupt(String)}, running {@code afterStop} once the cell's threads are stopped and
     * before the cell reports, so that what it cleans up is gone when the student reads the error.
     */
    CellStopper.StopReport interrupt(String reason, Runnable afterStop) {
        int cell = runningCell;
        if (reason != null) stopReason = reason;
        ExecutionJvm j = jvm;
        if (cell < 0 || j == null || stopping != null) return null;
        var done = new java.util.concurrent.CompletableFuture<CellStopper.StopReport>();
        stopping = done;
        try {
            CellStopper.StopReport report = j.stopCell(cell, config.interruptGraceMs(), config.interruptForceMs());
            // its threads are stopped, so it starts no more processes: end those it started (sleep, sh, a setsid -f);
            // when some threads could not be stopped, the JVM is killed below with every process in its cgroup or group
            if (report.clean()) processesKilled = j.killProcessesStartedSince(cellStartNanos, earlierProcesses);
            if (!report.clean()) j.kill();
            afterStop.run();
            done.complete(report);
            return report;
        } catch (RuntimeException e) {
            j.kill();
            done.complete(new CellStopper.StopReport(0, 0, java.util.List.of("(stopping failed: " + e + ")")));
            throw e;
        }
    }

    int runningCell() {
        return runningCell;
    }

    /**
     * What stopping a cell's threads between cells did: the stopper's report, and when some would
     * not stop, the note of the restart of the execution JVM that ended them (else null).
     */
    record Stopped(CellStopper.StopReport report, String restartNote) {}

    /** Stops the threads that cell {@code cell} left running (between cells); the caller says what happened. */
    Stopped stopThreadsOf(int cell) {
        CellStopper.StopReport report = jvm.stopCell(cell, config.interruptGraceMs(), config.interruptForceMs());
        if (!report.clean()) {
            jvm.kill();
            Outcome o = restart(cell, "threads of cell [" + cell + "] would not stop: " + String.join(", ", report.survivors()));
            return new Stopped(report, o.note());
        }
        return new Stopped(report, null);
    }

    private volatile Runnable onRestart = () -> { };

    /** Runs {@code listener} each time the execution JVM is replaced (the old one's threads are gone). */
    void onRestart(Runnable listener) {
        this.onRestart = listener;
    }

    private boolean jvmDied() {
        ExecutionJvm j = jvm;
        return j == null || j.isDead();
    }

    private Outcome interrupted(int cell) {
        // the cell's own thread may end before its other threads are stopped: wait for the whole report
        CellStopper.StopReport r = stopping.join();
        List<String> lines = new ArrayList<>();
        lines.add(stopReason != null ? "Stopped: " + stopReason : "Interrupted: the cell was stopped.");
        if (r.forced() > 0) lines.add("Threads that ignored Thread.interrupt() were stopped by force.");
        int killed = processesKilled;
        if (killed > 0) lines.add(killed + " process" + (killed == 1 ? "" : "es") + " the cell started " + (killed == 1 ? "was" : "were") + " killed.");
        if (!r.clean() || jvmDied()) {
            Outcome o = restart(cell, "these threads could not be stopped: " + String.join(", ", r.survivors()));
            lines.add(o.note());
            return new Outcome(null, null, new Error("Interrupted", "the cell was stopped", lines), true, o.note());
        }
        return new Outcome(null, null, new Error("Interrupted", "the cell was stopped", lines), false, null);
    }

    private Outcome restartAfterDeath(int cell) {
        ExecutionJvm j = jvm;
        Outcome o = restart(cell, j == null ? "the execution JVM ended unexpectedly" : j.deathCause());
        return new Outcome(null, null, new Error("KernelRestarted", "the execution JVM was restarted", List.of(o.note())), true, o.note());
    }

    /**
     * Starts a new execution JVM and replays the declarations of earlier cells (not those of
     * {@code failedCell}, which may be what broke it). Their initialisers run again.
     */
    Outcome restart(int failedCell, String why) {
        // a cell (or the start-up warm-up) that was running when the kernel shut down must not start a new JVM
        if (closed) return new Outcome(null, null, null, false, "The kernel is shutting down.");
        List<Declaration> replay = declarations.stream().filter(d -> d.cell() != failedCell).toList();
        closeQuietly();
        onRestart.run();
        shownValues.clear();
        cellOfSnippet.clear();
        lineOfSnippet.clear();
        start();
        int restored = 0;
        List<String> failed = new ArrayList<>();
        setCell(-1);
        for (Declaration d : replay) {
            List<SnippetEvent> events = shell.eval(d.source());
            boolean ok = events.stream().filter(e -> e.causeSnippet() == null)
                    .allMatch(e -> e.status().isActive() && e.exception() == null);
            events.forEach(e -> cellOfSnippet.put(e.snippet().id(), d.cell()));
            if (ok) restored++;
            else failed.add(d.source().strip().lines().findFirst().orElse(""));
        }
        // the replay ran on a worker thread of "cell -1": it must not linger as a thread a cell left running
        endCell(-1);
        snapshotDeclarations();
        String note = String.format(Locale.ROOT,
                "The execution JVM was restarted because %s. %d earlier definition%s restored (variables were recomputed from their initialisers)%s.",
                why, restored, restored == 1 ? " was" : "s were",
                failed.isEmpty() ? "" : "; not restored: " + String.join("; ", failed));
        return new Outcome(null, null, null, true, note);
    }

    /** What {@link #reset()} dropped, by kind. */
    record ResetReport(int variables, int methods, int types, int imports) {
        int total() {
            return variables + methods + types + imports;
        }
    }

    /**
     * Drops every snippet the cells defined (variables, methods, classes, imports) and keeps the
     * default imports, the class path and the execution JVM: a clean slate in milliseconds, where a
     * restart costs seconds. Snippets that the kernel made for itself are dropped silently.
     */
    ResetReport reset() {
        int vars = 0, methods = 0, types = 0, imports = 0;
        List<Snippet> mine = shell.snippets().filter(sn -> shell.status(sn).isActive())
                .filter(sn -> cellOfSnippet.getOrDefault(sn.id(), -1) >= 0 || isKernelOwn(sn)).toList();
        for (Snippet sn : mine) {
            if (!isKernelOwn(sn)) {
                switch (sn.kind()) {
                    case VAR -> {
                        if (!isTempVar(sn)) vars++;
                    }
                    case METHOD -> methods++;
                    case TYPE_DECL -> types++;
                    case IMPORT -> imports++;
                    default -> { }
                }
            }
            shell.drop(sn);
            cellOfSnippet.remove(sn.id());
            lineOfSnippet.remove(sn.id());
        }
        snapshotDeclarations();
        return new ResetReport(vars, methods, types, imports);
    }

    /** Drops the snippets the kernel compiled for itself, so that they neither linger nor get replayed. */
    void dropKernelOwn() {
        shell.snippets().filter(sn -> shell.status(sn).isActive()).filter(Session::isKernelOwn).toList().forEach(shell::drop);
    }

    /**
     * The static type of {@code code} when it is one expression ({@code "void"} for a void call),
     * else null; nothing is run.
     */
    String expressionType(String code) {
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        List<Snippet> snippets = sca.sourceToSnippets(code.strip());
        if (snippets.size() != 1) return null;
        Snippet sn = snippets.get(0);
        if (!(sn instanceof ExpressionSnippet) && !isTempVar(sn)
                && sn.subKind() != Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) return null;
        String c = code.strip();
        return sca.analyzeType(c, c.length());
    }

    /** The kernel's own snippets ({@code $threadlab$...}): a warm-up, and the methods %%timeit compiles. */
    static boolean isKernelOwn(Snippet sn) {
        return sn instanceof DeclarationSnippet d && d.name().startsWith("$threadlab$");
    }

    private void snapshotDeclarations() {
        try {
            List<Declaration> list = new ArrayList<>();
            shell.snippets().filter(s -> shell.status(s).isActive())
                    .filter(s -> !isKernelOwn(s))
                    .filter(s -> s.kind() == Snippet.Kind.IMPORT || s.kind() == Snippet.Kind.METHOD
                            || s.kind() == Snippet.Kind.TYPE_DECL || (s.kind() == Snippet.Kind.VAR && !isTempVar(s)))
                    .forEach(s -> {
                        Integer cell = cellOfSnippet.get(s.id());
                        if (cell != null && cell >= 0) list.add(new Declaration(cell, s.source()));
                    });
            declarations = list;
        } catch (IllegalStateException e) {
            // JShell closed: keep the last snapshot for the restart
        }
    }

    private void closeQuietly() {
        try {
            if (shell != null) shell.close();
        } catch (RuntimeException ignored) {
            // already closed
        }
        ExecutionJvm j = jvm;
        if (j != null) j.kill();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly();
    }

    /** Live threads of a cell (or of all cells for -1); none when the execution JVM did not answer within 2 s. */
    List<Message.LiveThread> liveThreads(int cell) {
        return liveThreadsIfAnswered(cell, 2000).orElse(List.of());
    }

    /** Live threads of a cell (or of all cells for -1), or empty when the execution JVM is gone or did not answer in time. */
    java.util.Optional<List<Message.LiveThread>> liveThreadsIfAnswered(int cell, long timeoutMs) {
        ExecutionJvm j = jvm;
        if (j == null || j.isDead()) return java.util.Optional.empty();
        return j.agent().liveThreads(cell, timeoutMs);
    }

}
