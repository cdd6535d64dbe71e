package org.threadlab.ipc;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.threadlab.display.Table;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * How fast one inter-process path carried messages between two JVMs.
 *
 * <pre>{@code
 * IpcMeasure m = Pipe.measure(10_000);
 * m.perSecond();        // messages per second, sent back to back
 * m.latencyMicros();    // median time of one message, in µs (see latencyKind)
 * IpcMeasure.table(List.of(m, SocketQueue.measure(10_000)));   // side by side
 * }</pre>
 *
 * @param path           which path ("pipe", "socket queue", ...)
 * @param messages       messages sent back to back, all received in order (else the measure fails)
 * @param wallNanos      time to carry them all, in ns
 * @param latencyMicros  median latency, in µs
 * @param latencyKind    what the latency means: "one-way" (sender's timestamp to receiver's,
 *                       with the channel otherwise idle; System.nanoTime is one clock for all
 *                       processes on Linux) or "round trip" (request to response)
 */
public record IpcMeasure(String path, int messages, long wallNanos, double latencyMicros, String latencyKind)
        implements DisplayDataRenderable {

    /** Messages per second. */
    public double perSecond() {
        return wallNanos == 0 ? 0 : messages * 1e9 / wallNanos;
    }

    /** Several measures as one table, for comparing paths. */
    public static Table table(List<IpcMeasure> measures) {
        return Table.of(List.of("path", "messages", "msgs/s", "latency µs", "latency"),
                measures.stream().map(m -> List.of(m.path, Integer.toString(m.messages), String.format("%.0f", m.perSecond()),
                        String.format("%.1f", m.latencyMicros), m.latencyKind)).toList());
    }

    /** Median of the samples (ns) in µs. */
    static double medianMicros(long[] nanos, int count) {
        if (count == 0) return 0;
        long[] s = Arrays.copyOf(nanos, count);
        Arrays.sort(s);
        return s[count / 2] / 1e3;
    }

    static void expect(String path, long expected, long got) {
        if (expected != got) {
            throw new IllegalStateException(path + ": message " + expected + " expected but " + got
                    + " arrived: a message was lost or reordered");
        }
    }

    @Override
    public String toString() {
        return table(List.of(this)).toString();
    }

    @Override
    public Set<MIMEType> getSupportedRenderTypes() {
        return table(List.of(this)).getSupportedRenderTypes();
    }

    @Override
    public void render(RenderContext context) {
        table(List.of(this)).render(context);
    }
}
