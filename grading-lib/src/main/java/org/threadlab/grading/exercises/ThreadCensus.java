package org.threadlab.grading.exercises;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Which threads a call left running: the tests' check that pools were shut down. */
public final class ThreadCensus {
    private final Set<Thread> before;

    private ThreadCensus(Set<Thread> before) {
        this.before = before;
    }

    public static ThreadCensus take() {
        return new ThreadCensus(new HashSet<>(Thread.getAllStackTraces().keySet()));
    }

    /**
     * Non-daemon platform threads started since {@link #take()} that are still alive after a grace
     * period of {@code graceMs} ms (a pool that was closed has ended its threads by then).
     */
    public List<String> leftRunning(long graceMs) throws InterruptedException {
        long deadline = System.nanoTime() + graceMs * 1_000_000;
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon() && !t.isVirtual())
                    .filter(t -> !t.getName().startsWith("HttpClient-"))   // the client's own threads end when it is collected
                    .map(Thread::getName).sorted().toList();
            if (left.isEmpty()) return left;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return left;
    }
}
