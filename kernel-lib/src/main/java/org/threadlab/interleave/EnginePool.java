package org.threadlab.interleave;

import org.threadlab.run.ProcessPool;
import org.threadlab.run.SerializableFunction;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One engine JVM kept warm between calls: Lincheck's first search in a JVM pays for attaching its
 * agent and instrumenting (seconds); later ones take a fraction of a second. A process-pool worker
 * of one, so it dies with this JVM, and an interrupt or a timeout kills it (the next call starts a
 * fresh one).
 */
final class EnginePool {
    private EnginePool() {}

    private static final SerializableFunction<Engine, Engine.Answer> RUN = Engine::answer;
    private static volatile ProcessPool pool;
    /** Classes the live engine JVM has on its class path, by name: a different class under a known name needs a new JVM. */
    private static final Map<String, Integer> shipped = new HashMap<>();

    static synchronized Engine.Answer run(Engine job, Duration timeout) {
        for (Map.Entry<String, byte[]> c : job.classes().entrySet()) {
            Integer had = shipped.get(c.getKey());
            if (had != null && had != Arrays.hashCode(c.getValue())) {
                restart();
                break;
            }
        }
        if (pool == null) pool = new ProcessPool(1, EngineJars.find(), true);
        for (Map.Entry<String, byte[]> c : job.classes().entrySet()) shipped.put(c.getKey(), Arrays.hashCode(c.getValue()));
        List<Engine.Answer> out = pool.map(List.of(job), RUN, 1, timeout);
        return out.get(0);
    }

    /** Whether {@code t} reads the live engine JVM's output (read without the lock: a run may hold it for long). */
    static boolean owns(Thread t) {
        ProcessPool p = pool;
        return p != null && p.ownsThread(t);
    }

    /** Drops the engine JVM (and with it every class it was given). */
    static synchronized void restart() {
        if (pool != null) pool.close();
        pool = null;
        shipped.clear();
    }
}
