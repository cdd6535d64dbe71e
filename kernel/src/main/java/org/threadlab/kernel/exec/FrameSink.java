package org.threadlab.kernel.exec;

import org.threadlab.agent.protocol.Message;

/** Receives what the execution JVM sends on its side channel, frame by frame, in order. */
public interface FrameSink {
    /** Text a thread of {@code cell} printed; {@code stderr} tells which stream. Whole lines, except at a flush. */
    void text(int cell, boolean stderr, String text);

    /** A display_data ({@code update} false) or update_display_data content object, as JSON. */
    void display(int cell, boolean update, String json);

    /** The execution JVM passed a limit while {@code cell} was the last cell run. */
    default void limit(int cell, Message.LimitHit hit) {
    }

    /** A thread of {@code cell} ended with an uncaught exception. */
    default void threadFailed(int cell, Message.ThreadFailed failed) {
    }
}
