package org.threadlab.kernel.exec;

import org.threadlab.agent.CellAgent;
import org.threadlab.agent.protocol.Codec;
import org.threadlab.agent.protocol.Message;
import org.threadlab.agent.protocol.Message.Reply;
import org.threadlab.agent.protocol.Message.Request;

import java.util.List;
import java.util.Optional;

/**
 * The kernel's one facade on the agent in the execution JVM: a typed method per request. Cell start,
 * end and rendering go over JShell's own connection, in order with the snippets; the rest over the
 * side channel, which answers while a cell runs. A method that can time out returns an empty
 * {@link Optional} then: no answer on a busy machine is not the same as "none".
 *
 * <pre>{@code
 * AgentClient agent = jvm.agent();
 * for (Message.LiveThread t : agent.liveThreads(-1, 2000).orElse(List.of())) System.out.println(t.name());
 * }</pre>
 */
public final class AgentClient {
    /** JShell's extension-command call of the execution control, which carries one protocol line each way. */
    @FunctionalInterface
    interface InOrderChannel {
        Object call(String command, Object arg) throws Exception;
    }

    private final SideChannelReader side;
    private final InOrderChannel inOrder;

    AgentClient(SideChannelReader side, InOrderChannel inOrder) {
        this.side = side;
        this.inOrder = inOrder;
    }

    // ---- in order with the snippets ----

    /** The snippets that follow are cell {@code cell}'s (-1 for the kernel's own). */
    public void startCell(int cell) throws Exception {
        inOrder(new Message.StartCell(cell));
    }

    /** The cell's last snippet ran: the agent ends the thread that ran them. */
    public void endCell(int cell) throws Exception {
        inOrder(new Message.EndCell(cell, false));
    }

    /**
     * {@link #endCell}, and the display_data JSON of the last expression's value (null when plain text
     * says it all), in one round trip.
     */
    public String endCellAndRender(int cell) throws Exception {
        return inOrder(new Message.EndCell(cell, true)) instanceof Message.Rendered r ? r.displayJson() : null;
    }

    private Reply inOrder(Request request) throws Exception {
        Object line = inOrder.call(CellAgent.PROTOCOL_COMMAND, Codec.encode(0, request));
        Reply reply = (Reply) Codec.decode((String) line).message();
        if (reply instanceof Message.Failed f) throw new IllegalStateException("the execution JVM could not do " + request + ": " + f.reason());
        return reply;
    }

    // ---- while a cell runs ----

    /** Live threads of cell {@code cell}, or of every cell for -1. */
    public Optional<List<Message.LiveThread>> liveThreads(int cell, long timeoutMs) {
        return side(new Message.ListThreads(cell), timeoutMs, Message.LiveThreads.class).map(Message.LiveThreads::threads);
    }

    /** Interrupts every thread of {@code cell} in-process (virtual threads too, which JDI cannot list). */
    public Optional<Message.Interrupted> interrupt(int cell, long timeoutMs) {
        return side(new Message.InterruptCell(cell), timeoutMs, Message.Interrupted.class);
    }

    /** The cell's live virtual threads and the carriers the running ones are mounted on. */
    public Optional<Message.Carriers> carriers(int cell, long timeoutMs) {
        return side(new Message.FindCarriers(cell), timeoutMs, Message.Carriers.class);
    }

    /** Ids of the cell's threads outside its thread group. */
    public Optional<List<Long>> strays(int cell, long timeoutMs) {
        return side(new Message.FindStrays(cell), timeoutMs, Message.Strays.class).map(Message.Strays::threadIds);
    }

    /** Waits until all output the execution JVM produced so far has reached the sink; false when it did not answer in time. */
    public boolean sync(long timeoutMs) {
        return side(new Message.Sync(), timeoutMs, Message.Synced.class).isPresent();
    }

    private <R extends Reply> Optional<R> side(Request request, long timeoutMs, Class<R> type) {
        Reply r = side.request(request, timeoutMs);
        return type.isInstance(r) ? Optional.of(type.cast(r)) : Optional.empty();
    }
}
