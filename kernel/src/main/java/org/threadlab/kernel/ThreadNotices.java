package org.threadlab.kernel;

import org.threadlab.agent.protocol.Message.LiveThread;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The notice a cell gets when threads it started outlive it: "[2 threads started by this cell [7]
 * still running ...]". It is a neutral display (not stderr), and it does not go stale: while threads
 * are left, the kernel asks the execution JVM every {@value #POLL_MS} ms which still live and
 * replaces the notice in place (same display id) when the list changes, with a line saying they
 * ended once none is left; {@code %stop}, {@code %reset} and a restart of the execution JVM settle
 * it with what they did.
 */
final class ThreadNotices {
    static final long POLL_MS = 500;

    private record Pending(String id, int started, List<String> shown) {}

    private final CellOutput output;
    private final IntFunction<Optional<List<LiveThread>>> liveOf;
    private final Map<Integer, Pending> pending = new LinkedHashMap<>();
    /** Cells being stopped now: their threads end, but the stopper says how, not the poll. */
    private final java.util.Set<Integer> held = new java.util.HashSet<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "threadlab-notice-poll");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();

    /**
     * {@code liveOf.apply(cell)}: the threads of a cell still alive in the execution JVM, or empty
     * when it did not answer (busy, restarting): then the notice stays as it is.
     */
    ThreadNotices(CellOutput output, IntFunction<Optional<List<LiveThread>>> liveOf) {
        this.output = output;
        this.liveOf = liveOf;
        poller.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    /** The running text for {@code live} threads of {@code cell}. */
    static String running(int cell, List<String> names) {
        return String.format("[%d thread%s started by this cell [%d] still running: %s. Their output will appear here; "
                        + "list them with %%threads, stop them with %%stop %d]", names.size(), names.size() == 1 ? "" : "s", cell,
                String.join(", ", names.subList(0, Math.min(8, names.size()))) + (names.size() > 8 ? ", ..." : ""), cell);
    }

    private static List<String> names(List<LiveThread> live) {
        return live.stream().map(t -> "\"" + t.name() + "\"").toList();
    }

    /** Shows the notice for {@code cell}, whose threads {@code live} outlived it (none: nothing to show). */
    void show(int cell, List<LiveThread> live) {
        if (live.isEmpty()) return;
        List<String> names = names(live);
        String id = "threadlab-threads-" + cell + "-" + ProcessHandle.current().pid() + "-" + ids.incrementAndGet();
        synchronized (this) {
            pending.put(cell, new Pending(id, names.size(), names));
        }
        output.notice(cell, id, false, running(cell, names));
    }

    /** Keeps the poll off these cells' notices until {@link #release} (while they are being stopped). */
    synchronized void hold(java.util.Collection<Integer> cells) {
        held.addAll(cells);
    }

    synchronized void release(java.util.Collection<Integer> cells) {
        held.removeAll(cells);
    }

    /** Replaces the notice of {@code cell}, if it has one still open, with {@code text}, for good. */
    void settle(int cell, String text) {
        Pending p;
        synchronized (this) {
            p = pending.remove(cell);
        }
        if (p != null) output.notice(cell, p.id(), true, text);
    }

    /** {@link #settle} for every open notice; {@code text} gets the cell's count of threads. */
    void settleAll(java.util.function.IntFunction<String> text) {
        Map<Integer, Pending> copy;
        synchronized (this) {
            copy = new LinkedHashMap<>(pending);
            pending.clear();
        }
        copy.forEach((cell, p) -> output.notice(cell, p.id(), true, text.apply(p.started())));
    }

    /** The cells whose notices are open. */
    synchronized List<Integer> open() {
        return new ArrayList<>(pending.keySet());
    }

    static String ended(int n) {
        return n == 1 ? "[the thread this cell left running has ended]" : "[the " + n + " threads this cell left running have all ended]";
    }

    /** One round: each open notice is replaced when its threads changed, and closed when none is left. */
    void poll() {
        try {
            Map<Integer, Pending> copy;
            synchronized (this) {
                if (pending.isEmpty()) return;
                copy = new LinkedHashMap<>(pending);
            }
            for (var e : copy.entrySet()) {
                int cell = e.getKey();
                Pending p = e.getValue();
                Optional<List<LiveThread>> answer = liveOf.apply(cell);
                if (answer.isEmpty()) continue;
                List<String> now = names(answer.get());
                if (now.equals(p.shown())) continue;
                String text;
                synchronized (this) {
                    // settled meanwhile by %stop, %reset or a restart: theirs is the last word
                    if (pending.get(cell) != p || held.contains(cell)) continue;
                    if (now.isEmpty()) {
                        pending.remove(cell);
                        text = ended(p.started());
                    } else {
                        pending.put(cell, new Pending(p.id(), p.started(), now));
                        text = running(cell, now);
                    }
                }
                output.notice(cell, p.id(), true, text);
            }
        } catch (RuntimeException e) {
            // the execution JVM is restarting or gone: the next round asks again
        }
    }

    void close() {
        poller.shutdownNow();
    }
}
