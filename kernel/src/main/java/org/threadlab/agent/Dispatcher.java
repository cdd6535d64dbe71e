package org.threadlab.agent;

import org.threadlab.agent.protocol.Codec;
import org.threadlab.agent.protocol.Message;
import org.threadlab.agent.protocol.Message.Reply;
import org.threadlab.agent.protocol.Message.Request;

/**
 * The agent's one entry point for the kernel's requests, whichever channel brought them: JShell's
 * own connection (cell start and end, rendering: in order with the snippets) or the side channel
 * (thread lists, interrupts: answered while a cell runs).
 *
 * <pre>{@code
 * String replyLine = dispatcher.handleLine(Codec.encode(1, new Message.ListThreads(-1)));
 * }</pre>
 */
final class Dispatcher {
    private final CellAgent agent;
    private final SideChannel side;

    Dispatcher(CellAgent agent, SideChannel side) {
        this.agent = agent;
        this.side = side;
    }

    /** Decodes a request line, carries it out and encodes the reply with the request's id. */
    String handleLine(String line) {
        Codec.Envelope in;
        try {
            in = Codec.decode(line);
        } catch (IllegalArgumentException e) {
            return Codec.encode(0, new Message.Failed(e.getMessage()));
        }
        Reply reply;
        try {
            reply = in.message() instanceof Request r ? handle(r) : new Message.Failed("not a request: " + in.message());
        } catch (RuntimeException e) {
            reply = new Message.Failed(e.toString());
        }
        return Codec.encode(in.id(), reply);
    }

    Reply handle(Request request) {
        return switch (request) {
            case Message.StartCell s -> {
                agent.startCell(s.cell());
                yield new Message.Done();
            }
            case Message.EndCell e -> {
                // the value first, while the cell's worker still lives; its end even when rendering failed
                String json = null;
                try {
                    if (e.render()) json = agent.renderLast();
                } finally {
                    agent.endCell();
                }
                yield e.render() ? new Message.Rendered(json) : new Message.Done();
            }
            case Message.ListThreads l -> new Message.LiveThreads(agent.liveThreads(l.cell()));
            case Message.InterruptCell i -> new Message.Interrupted(i.cell(), agent.interruptCell(i.cell()));
            case Message.FindCarriers c -> agent.carriers(c.cell());
            case Message.FindStrays s -> new Message.Strays(s.cell(), agent.strayIds(s.cell()));
            case Message.Sync s -> {
                // the reply frame queues behind every frame before it; flushing now sends them all
                side.flush();
                yield new Message.Synced();
            }
        };
    }
}
