package org.threadlab.kernel.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pids cgroup of its own for one execution JVM: the operating system refuses a thread or a
 * process past {@code pids.max} (it counts every task: the JVM's threads and all processes its
 * cells start, with their threads), so a thread bomb stops at the cap instead of after thousands
 * of threads, whoever runs it, root included (RLIMIT_NPROC does not hold root). Membership is
 * inherited and survives {@code setsid} or a double fork, so {@link #killAll} ends every process a
 * cell started, however it detached.
 *
 * <pre>{@code
 * PidsCgroup g = PidsCgroup.create(2300).orElse(null);   // null: no writable pids hierarchy here
 * Process p = ...start();
 * g.add(p.pid());                                       // before any cell code runs in it
 * g.killAll(2000); g.remove();
 * }</pre>
 *
 * Needs a writable pids hierarchy: cgroup v1's {@code /sys/fs/cgroup/pids} (root), or a delegated
 * cgroup v2 subtree. Elsewhere {@link #create} says why not, and the kernel falls back to its own
 * thread counting and to process groups.
 */
public final class PidsCgroup {
    private static final String PREFIX = "threadlab-";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static volatile String unavailable;

    private final Path dir;

    private PidsCgroup(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Why no cgroup could be made, after a {@link #create} that returned empty; else null. */
    public static String unavailableReason() {
        return unavailable;
    }

    /** A new cgroup that allows {@code maxTasks} tasks, or empty (see {@link #unavailableReason()}). */
    public static java.util.Optional<PidsCgroup> create(long maxTasks) {
        Path parent = hierarchy();
        if (parent == null) {
            unavailable = "no writable pids cgroup (cgroup v1 /sys/fs/cgroup/pids needs root; cgroup v2 needs a delegated subtree)";
            return java.util.Optional.empty();
        }
        sweep(parent);
        Path dir = parent.resolve(PREFIX + pidNamespace() + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet());
        try {
            Files.createDirectory(dir);
            Files.writeString(dir.resolve("pids.max"), String.valueOf(maxTasks));
            unavailable = null;
            return java.util.Optional.of(new PidsCgroup(dir));
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // nothing made
            }
            unavailable = "cannot make a pids cgroup in " + parent + " (" + e + ")";
            return java.util.Optional.empty();
        }
    }

    /** cgroup v1's pids hierarchy, or this process's own cgroup v2 directory, when writable. */
    private static Path hierarchy() {
        Path v1 = Path.of("/sys/fs/cgroup/pids");
        if (Files.isRegularFile(v1.resolve("cgroup.procs")) && Files.isWritable(v1)) return v1;
        Path v2root = Path.of("/sys/fs/cgroup");
        try {
            if (Files.isRegularFile(v2root.resolve("cgroup.controllers"))
                    && Files.readString(v2root.resolve("cgroup.controllers")).contains("pids")) {
                for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                    if (line.startsWith("0::")) {
                        Path own = v2root.resolve(line.substring(3).replaceFirst("^/", ""));
                        if (Files.isWritable(own) && Files.readString(own.resolve("cgroup.subtree_control")).contains("pids")) return own;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no v2 either
        }
        return null;
    }

    /** Cgroups left by kernels that died without cleaning up (kill -9): their processes go too. */
    private static void sweep(Path parent) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path d : ds) {
                String[] parts = d.getFileName().toString().substring(PREFIX.length()).split("-");
                // only a kernel of our PID namespace can be judged dead from here: its PID means the same to us
                if (parts.length != 3 || !parts[0].equals(pidNamespace())) continue;
                long owner;
                try {
                    owner = Long.parseLong(parts[1]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(owner).isPresent()) continue;
                PidsCgroup stale = new PidsCgroup(d);
                stale.killAll(500);
                stale.remove();
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    /** The inode of this process's PID namespace ("4026531836"), or "0" where it cannot be read. */
    private static String pidNamespace() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            return link.replaceAll("\\D", "");
        } catch (IOException | RuntimeException e) {
            return "0";
        }
    }

    /** Moves process {@code pid} (all its threads) into this cgroup; its future children are born in it. */
    public void add(long pid) throws IOException {
        Files.writeString(dir.resolve("cgroup.procs"), String.valueOf(pid));
    }

    /** The processes (thread-group ids) in the cgroup now. */
    public List<Long> processes() {
        List<Long> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) out.add(Long.parseLong(line.strip()));
            }
        } catch (IOException | RuntimeException e) {
            // removed meanwhile
        }
        return out;
    }

    /** The most tasks the cgroup ever held (pids.peak, where the kernel has it), or -1. */
    public long peak() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("pids.peak")).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** How many times the cgroup refused a fork or a thread at its cap (pids.events' "max"), or 0. */
    public long refusals() {
        try {
            for (String line : Files.readAllLines(dir.resolve("pids.events"))) {
                if (line.startsWith("max ")) return Long.parseLong(line.substring(4).strip());
            }
        } catch (IOException | RuntimeException e) {
            // removed meanwhile
        }
        return 0;
    }

    /** The cap (pids.max), or -1. */
    public long max() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("pids.max")).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** SIGKILL to every process in the cgroup, round after round until it is empty or {@code timeoutMs} passed. */
    public boolean killAll(long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            List<Long> left = processes();
            if (left.isEmpty()) return true;
            if (System.nanoTime() > deadline) return false;
            for (long p : left) ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Removes the cgroup once empty (a few tries: killed processes leave it as they are reaped). */
    public void remove() {
        for (int i = 0; i < 40; i++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
