package org.threadlab.kernel.exec;

/** Receives what the execution JVM sends on its side channel, frame by frame, in order. */
public interface FrameSink {
    /** Text a thread of {@code cell} printed; {@code stderr} tells which stream. Whole lines, except at a flush. */
    void text(int cell, boolean stderr, String text);

    /** A display_data ({@code update} false) or update_display_data content object, as JSON. */
    void display(int cell, boolean update, String json);

    /** The execution JVM passed a limit: {@code what} is "threads COUNT LIMIT" or "processes COUNT LIMIT". */
    default void limit(int cell, String what) {
    }

    /** The answer to a control command sent with {@link SideChannelReader#command}. */
    void controlReply(String reply);
}
