package org.threadlab.kernel;

import org.threadlab.kernel.exec.FrameSink;

import java.util.ArrayList;
import java.util.List;

/** Keeps every frame the execution JVM sends, for assertions. */
final class RecordingSink implements FrameSink {
    record Text(int cell, boolean stderr, String text) {}

    final List<Text> texts = new ArrayList<>();
    final List<String> displays = new ArrayList<>();
    record Failed(int cell, org.threadlab.agent.protocol.Message.ThreadFailed failed) {}

    final List<Failed> failures = new ArrayList<>();

    @Override
    public synchronized void threadFailed(int cell, org.threadlab.agent.protocol.Message.ThreadFailed failed) {
        failures.add(new Failed(cell, failed));
    }

    @Override
    public synchronized void text(int cell, boolean stderr, String text) {
        texts.add(new Text(cell, stderr, text));
    }

    @Override
    public synchronized void display(int cell, boolean update, String json) {
        displays.add(cell + (update ? " update " : " display ") + json);
    }

    synchronized String textOf(int cell) {
        StringBuilder sb = new StringBuilder();
        for (Text t : texts) if (t.cell() == cell) sb.append(t.text());
        return sb.toString();
    }

    synchronized String allText() {
        StringBuilder sb = new StringBuilder();
        for (Text t : texts) sb.append(t.text());
        return sb.toString();
    }
}
