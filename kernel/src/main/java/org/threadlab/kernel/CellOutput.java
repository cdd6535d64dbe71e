package org.threadlab.kernel;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.threadlab.kernel.exec.FrameSink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes what the cells' threads print and display, each to the cell that started the thread,
 * also after that cell has finished: the message's parent is that cell's execute_request, which
 * is how Jupyter front ends place output. Text is batched for {@value #FLUSH_MS} ms after it
 * arrives, so a cell printing thousands of lines sends a few messages, not thousands; an idle
 * kernel has no timer ticking (a class has one kernel per student on one server).
 */
final class CellOutput implements FrameSink {
    private static final long FLUSH_MS = 25;
    private static final int CELLS_REMEMBERED = 2000;

    private final Map<Integer, MessageContext> cells = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, MessageContext> eldest) {
            return size() > CELLS_REMEMBERED;
        }
    };
    private final StringBuilder[] pendingText = {new StringBuilder(), new StringBuilder()};
    private final int[] pendingCell = {Integer.MIN_VALUE, Integer.MIN_VALUE};
    private volatile JupyterSocket iopub;
    private volatile int lastCell = -1;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "threadlab-output-flush");
        t.setDaemon(true);
        return t;
    });

    /** Whether a flush is scheduled for text that is waiting; guarded by this. */
    private boolean flushDue;

    CellOutput() {
    }

    void attach(JupyterSocket iopub) {
        this.iopub = iopub;
    }

    synchronized void beginCell(int cell, MessageContext request) {
        cells.put(cell, request);
        lastCell = cell;
    }

    /** Where output of a thread that belongs to no cell goes: the newest cell. */
    private int resolve(int cell) {
        return cell > 0 && cells.containsKey(cell) ? cell : lastCell;
    }

    @Override
    public void text(int cell, boolean stderr, String text) {
        if (cell == -1) return; // a replay after a restart: its output was seen the first time
        int target;
        synchronized (this) {
            target = resolve(cell);
            int i = stderr ? 1 : 0;
            if (pendingCell[i] != target) flushStream(i);
            pendingCell[i] = target;
            pendingText[i].append(text);
            if (pendingText[i].length() > 64 * 1024) flushStream(i);
            else if (!flushDue) {
                flushDue = true;
                try {
                    flusher.schedule(this::flush, FLUSH_MS, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    flushDue = false; // closing: close() flushes what is left
                }
            }
        }
    }

    @Override
    public void display(int cell, boolean update, String json) {
        if (cell == -1) return;
        synchronized (this) {
            flushStream(0);
            flushStream(1);
            MessageContext ctx = cells.get(resolve(cell));
            if (ctx == null) return;
            MessageType<?> type = update ? MessageType.PUBLISH_UPDATE_DISPLAY_DATA : MessageType.PUBLISH_DISPLAY_DATA;
            publishRaw(ctx, type, JsonParser.parseString(json));
        }
    }

    private volatile java.util.function.BiConsumer<Integer, String> tap = (c, t) -> { };

    /** Sees every text published, by cell: for in-process tests, which have no IOPub socket. */
    void tap(java.util.function.BiConsumer<Integer, String> tap) {
        this.tap = tap;
    }

    private volatile java.util.function.BiConsumer<Integer, org.threadlab.agent.protocol.Message.LimitHit> limitListener = (c, w) -> { };

    void onLimit(java.util.function.BiConsumer<Integer, org.threadlab.agent.protocol.Message.LimitHit> listener) {
        this.limitListener = listener;
    }

    @Override
    public void limit(int cell, org.threadlab.agent.protocol.Message.LimitHit hit) {
        limitListener.accept(cell, hit);
    }

    private volatile java.util.function.BiConsumer<Integer, org.threadlab.agent.protocol.Message.ThreadFailed> failedListener = (c, f) -> { };

    void onThreadFailed(java.util.function.BiConsumer<Integer, org.threadlab.agent.protocol.Message.ThreadFailed> listener) {
        this.failedListener = listener;
    }

    @Override
    public void threadFailed(int cell, org.threadlab.agent.protocol.Message.ThreadFailed failed) {
        if (cell == -1) return; // a replay after a restart
        failedListener.accept(cell, failed);
    }

    /** An error output as published, for in-process tests. */
    record Error(int cell, String ename, String evalue, java.util.List<String> traceback) {}

    private volatile java.util.function.Consumer<Error> errorTap = e -> { };

    /** Sees every error output published by {@link #error}: for in-process tests. */
    void errorTap(java.util.function.Consumer<Error> tap) {
        this.errorTap = tap;
    }

    /**
     * An error output (Jupyter's {@code error} message: the notebook's red traceback) in cell
     * {@code cell}, also after it ended, without touching its execute_reply. The cell's pending text goes first.
     */
    void error(int cell, String ename, String evalue, java.util.List<String> traceback) {
        synchronized (this) {
            flushStream(0);
            flushStream(1);
            int target = resolve(cell);
            errorTap.accept(new Error(target, ename, evalue, traceback));
            MessageContext ctx = cells.get(target);
            JupyterSocket socket = iopub;
            if (ctx != null && socket != null) {
                socket.sendMessage(new Message<>(ctx, org.dflib.jjava.jupyter.messages.publish.PublishError.MESSAGE_TYPE,
                        new org.dflib.jjava.jupyter.messages.publish.PublishError(ename, evalue, traceback)));
            }
        }
    }

    /** Publishes everything pending now (before an execute_reply, so output precedes it). */
    synchronized void flush() {
        flushDue = false;
        flushStream(0);
        flushStream(1);
    }

    private void flushStream(int i) {
        if (pendingText[i].isEmpty()) return;
        MessageContext ctx = cells.get(pendingCell[i]);
        String text = pendingText[i].toString();
        pendingText[i].setLength(0);
        tap.accept(pendingCell[i], text);
        JupyterSocket socket = iopub;
        if (ctx == null || socket == null) return;
        PublishStream.StreamType type = i == 0 ? PublishStream.StreamType.OUT : PublishStream.StreamType.ERR;
        socket.sendMessage(new Message<>(ctx, PublishStream.MESSAGE_TYPE, new PublishStream(type, text)));
    }

    /** A warning from the kernel itself for a cell (a limit it enforced), on stderr, in order with the cell's own output. */
    void kernelNote(int cell, String text) {
        text(cell, true, text.endsWith("\n") ? text : text + "\n");
    }

    /** A notice as published, for in-process tests. */
    record Notice(int cell, String id, boolean update, String text) {}

    private volatile java.util.function.Consumer<Notice> noticeTap = n -> { };

    /** Sees every notice published: for in-process tests, which have no IOPub socket. */
    void noticeTap(java.util.function.Consumer<Notice> tap) {
        this.noticeTap = tap;
    }

    /**
     * A routine notice of the kernel for a cell (threads it left running): grey display data, not
     * stderr, under display id {@code id}, so that a later call with {@code update} replaces it in
     * place when what it says has changed. The cell's pending text goes first.
     */
    void notice(int cell, String id, boolean update, String text) {
        com.google.gson.JsonObject content = new com.google.gson.JsonObject();
        com.google.gson.JsonObject data = new com.google.gson.JsonObject();
        data.addProperty("text/plain", text);
        data.addProperty("text/html", "<div class=\"threadlab-notice " + org.threadlab.display.Html.CLASSES
                + "\" style=\"color:#666;font-size:90%\">" + org.threadlab.display.Html.escape(text) + "</div>");
        content.add("data", data);
        content.add("metadata", new com.google.gson.JsonObject());
        com.google.gson.JsonObject transientPart = new com.google.gson.JsonObject();
        transientPart.addProperty("display_id", id);
        content.add("transient", transientPart);
        synchronized (this) {
            flushStream(0);
            flushStream(1);
            noticeTap.accept(new Notice(cell, id, update, text));
            MessageContext ctx = cells.get(cell);
            if (ctx != null) publishRaw(ctx, update ? MessageType.PUBLISH_UPDATE_DISPLAY_DATA : MessageType.PUBLISH_DISPLAY_DATA, content);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void publishRaw(MessageContext ctx, MessageType<?> type, JsonElement content) {
        JupyterSocket socket = iopub;
        if (socket != null) socket.sendMessage(new Message(ctx, (MessageType) type, content));
    }

    void close() {
        flush();
        flusher.shutdownNow();
    }
}
