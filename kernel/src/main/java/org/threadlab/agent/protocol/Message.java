package org.threadlab.agent.protocol;

import java.util.List;

/**
 * Every message between the kernel and the execution JVM, as records. A {@link Request} goes from
 * the kernel to the agent and gets exactly one {@link Reply}; a {@link LimitHit} and a
 * {@link ThreadFailed} are sent by the agent unasked. {@link Codec} turns each into one line of JSON and back; nothing else on either
 * side builds or splits the text.
 *
 * <pre>{@code
 * String line = Codec.encode(7, new Message.ListThreads(3));
 * Codec.Envelope e = Codec.decode(line);   // e.id() == 7, e.message() equals new ListThreads(3)
 * }</pre>
 */
public sealed interface Message {
    /** Asks the agent for something; answered by one {@link Reply}. */
    sealed interface Request extends Message {}

    /** The agent's answer to one {@link Request}. */
    sealed interface Reply extends Message {}

    // ---- requests on JShell's own connection, in order with the snippets ----

    /** The snippets that follow belong to cell {@code cell} (-1: the kernel's own set-up). */
    record StartCell(int cell) implements Request {}

    /**
     * Cell {@code cell}'s last snippet ran: its worker thread may end. With {@code render} the reply is
     * the rich form of the last expression's value ({@link Rendered}), else {@link Done}: a cell that
     * shows a value needs one round trip for both.
     */
    record EndCell(int cell, boolean render) implements Request {}

    // ---- requests on the side channel, answered while a cell runs ----

    /** The live threads of cell {@code cell}, or of every cell when it is -1. */
    record ListThreads(int cell) implements Request {}

    /** Interrupt every thread (platform, stray and virtual) of cell {@code cell}. */
    record InterruptCell(int cell) implements Request {}

    /** The virtual threads of cell {@code cell} and the carriers the running ones are mounted on. */
    record FindCarriers(int cell) implements Request {}

    /** The ids of cell {@code cell}'s threads outside its thread group (see {@code org.threadlab.agent.Strays}). */
    record FindStrays(int cell) implements Request {}

    /** Answered after every frame sent before it: output sent so far has reached the kernel. */
    record Sync() implements Request {}

    // ---- replies ----

    /** The request was carried out; nothing to say. */
    record Done() implements Reply {}

    /** A display_data content object as JSON, or {@code null} when plain text says it all. */
    record Rendered(String displayJson) implements Reply {}

    /** One live thread: the cell it works for, its name, {@link Thread.State} name, and whether it is a daemon. */
    record LiveThread(int cell, String name, String state, boolean daemon) {}

    record LiveThreads(List<LiveThread> threads) implements Reply {}

    /** How many virtual threads of the cell were interrupted in-process (JDI does not list them). */
    record Interrupted(int cell, int virtualThreads) implements Reply {}

    record Carriers(int cell, int virtualThreads, List<String> carrierNames) implements Reply {}

    record Strays(int cell, List<Long> threadIds) implements Reply {}

    record Synced() implements Reply {}

    /** The agent could not carry out the request: {@code reason} says why. */
    record Failed(String reason) implements Reply {}

    // ---- sent unasked ----

    /** What passed its limit. */
    enum Resource { THREADS, PROCESSES }

    /** The execution JVM holds {@code count} of {@code resource}, more than {@code limit}. */
    record LimitHit(Resource resource, long count, long limit) implements Message {}

    /** One frame of a stack trace; {@code cell} when it is code a cell defined (its file is JShell's snippet id, "#12"). */
    record Frame(String className, String method, String file, int line, boolean cell) {}

    /** One exception of a chain (the thrown one, then its causes): class name, message (may be null), the frames worth showing. */
    record Thrown(String className, String message, List<Frame> frames) {}

    /** A thread of a cell ended with an uncaught exception: the thread's name and the exception, cause by cause. */
    record ThreadFailed(String thread, List<Thrown> chain) implements Message {}
}
