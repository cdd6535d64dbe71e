package org.threadlab.time;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.threadlab.display.Notebook;

import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar for work that takes more than a second or two. In a notebook it is one output
 * updated in place (Jupyter's {@code update_display_data}) at most five times a second; elsewhere
 * it prints a text line at most once a second, and a last line when done. Any thread may call
 * {@link #step()}: workers of a pool can report directly.
 *
 * <pre>{@code
 * try (Progress p = Progress.start("tasks", 100)) {
 *     for (int i = 0; i < 100; i++) { work(i); p.step(); }
 * }
 * for (var file : Progress.over("files", files)) { ... }   // steps by itself
 * }</pre>
 */
public final class Progress implements AutoCloseable {
    /** Least time between two updates in a notebook, in nanoseconds. */
    static final long NOTEBOOK_EVERY = 200_000_000L;
    /** Least time between two printed lines outside a notebook, in nanoseconds. */
    static final long TEXT_EVERY = 1_000_000_000L;

    private final String label;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong nextShow;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final boolean rich;
    private final String displayId;

    private Progress(String label, long total) {
        this.label = label == null || label.isBlank() ? "progress" : label;
        this.total = total;
        this.rich = Notebook.isRich();
        this.nextShow = new AtomicLong(startNanos + (rich ? NOTEBOOK_EVERY : TEXT_EVERY));
        this.displayId = rich ? Notebook.display(view(false)) : null;
    }

    /**
     * A progress bar for {@code total} steps (0 or less when the total is unknown: it then
     * counts without a bar).
     */
    public static Progress start(String label, long total) {
        return new Progress(label, total);
    }

    /** Goes through {@code items}, stepping a progress bar for each; done after the last one. */
    public static <T> Iterable<T> over(String label, Collection<T> items) {
        return () -> {
            Progress p = start(label, items.size());
            Iterator<T> it = items.iterator();
            return new Iterator<>() {
                private boolean started;

                @Override
                public boolean hasNext() {
                    boolean more = it.hasNext();
                    if (!more && started) {
                        started = false;   // the last item is finished: count it, once
                        p.step();
                    }
                    if (!more) p.done();
                    return more;
                }

                @Override
                public T next() {
                    if (started) p.step();   // the previous item is finished when the next one is asked for
                    started = true;
                    return it.next();
                }
            };
        };
    }

    /** One more step done. */
    public void step() {
        advance(1);
    }

    /** {@code n} more steps done. */
    public void advance(long n) {
        count.addAndGet(n);
        long now = System.nanoTime();
        long next = nextShow.get();
        // one thread wins the right to show this update; the others go on working
        if (now >= next && !finished.get() && nextShow.compareAndSet(next, now + (rich ? NOTEBOOK_EVERY : TEXT_EVERY))) {
            show(false);
        }
    }

    /** Steps done so far. */
    public long count() {
        return count.get();
    }

    /** Seconds since the start. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Marks the work finished and shows the final state (once; later calls do nothing). */
    public void done() {
        if (finished.compareAndSet(false, true)) show(true);
    }

    /** {@link #done()}, for try-with-resources. */
    @Override
    public void close() {
        done();
    }

    private void show(boolean last) {
        View v = view(last);
        if (rich) Notebook.update(displayId, v);
        else System.out.println(v);
    }

    private View view(boolean last) {
        return new View(label, count.get(), total, elapsedSeconds(), last);
    }

    @Override
    public String toString() {
        return view(finished.get()).toString();
    }

    /** One state of the bar, as text and as HTML. */
    record View(String label, long count, long total, double seconds, boolean last) implements DisplayDataRenderable {
        private static final Set<MIMEType> TYPES = Set.of(MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML);
        private static final int WIDTH = 30;

        double fraction() {
            return total > 0 ? Math.min(1, count / (double) total) : Double.NaN;
        }

        String figures() {
            StringBuilder sb = new StringBuilder();
            if (total > 0) {
                sb.append(count).append('/').append(total)
                        .append(String.format(Locale.ROOT, "  %3.0f%%", fraction() * 100));
            } else {
                sb.append(count);
            }
            sb.append("  ").append(Units.seconds(seconds));
            if (last) {
                sb.append(" (done)");
            } else if (total > 0 && count > 0 && count < total) {
                sb.append(", about ").append(Units.seconds(seconds / count * (total - count))).append(" left");
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            if (total <= 0) return label + "  " + figures();
            int full = (int) Math.round(fraction() * WIDTH);
            return label + " [" + "#".repeat(full) + "-".repeat(WIDTH - full) + "] " + figures();
        }

        String toHtml() {
            String bar = total > 0
                    ? "<progress value=\"" + Math.min(count, total) + "\" max=\"" + total + "\" style=\"width:24em;vertical-align:middle\"></progress> "
                    : "";
            return org.threadlab.display.Html.block("<div style=\"font-family:monospace;white-space:pre\">" + escape(label) + " " + bar + escape(figures()) + "</div>");
        }

        private static String escape(String s) {
            return org.threadlab.display.Html.escape(s);
        }

        @Override public Set<MIMEType> getSupportedRenderTypes() { return TYPES; }
        @Override public Set<MIMEType> getPreferredRenderTypes() { return TYPES; }

        @Override
        public void render(RenderContext context) {
            context.renderIfRequested(MIMEType.TEXT_PLAIN, this::toString);
            context.renderIfRequested(MIMEType.TEXT_HTML, this::toHtml);
        }
    }
}
