package org.threadlab.os;

import java.util.List;

/**
 * The limits a Linux control group (container, systemd slice) puts on this process: CPU quota,
 * memory and task count. Reads cgroup v2 ({@code /sys/fs/cgroup/cpu.max}...) and falls back to v1
 * controllers, both at the mount root (inside a container) and at this process's own path.
 * Every value is -1 when there is no limit or no cgroup file to read. Paths are relative to the
 * {@link Procfs}'s roots, so a recorded tree answers the same questions.
 */
final class Cgroup {
    private Cgroup() {}

    private static final long V1_UNLIMITED = 1L << 60;   // v1 writes "no limit" as a page-rounded LONG_MAX

    /** CPUs' worth of quota (quota / period, for example 1.5); -1 when unlimited. */
    static double cpuLimit(Procfs proc) {
        String v2 = first(proc, paths(proc, "", "cpu.max"));
        if (v2 != null) {
            String[] f = v2.trim().split("\\s+");
            if (f.length == 2 && !f[0].equals("max")) {
                try {
                    return Double.parseDouble(f[0]) / Double.parseDouble(f[1]);
                } catch (NumberFormatException ignored) {
                    return -1;
                }
            }
            return -1;
        }
        for (String dir : paths(proc, "cpu", "")) {
            long quota = proc.sysNumber(dir + "cpu.cfs_quota_us");
            long period = proc.sysNumber(dir + "cpu.cfs_period_us");
            if (quota > 0 && period > 0) return (double) quota / period;
        }
        return -1;
    }

    /** The memory limit in bytes; -1 when unlimited. */
    static long memoryLimit(Procfs proc) {
        return limit(proc, "memory.max", "memory", "memory.limit_in_bytes");
    }

    /** The cap on tasks (threads and processes) of the group; -1 when unlimited. */
    static long pidsLimit(Procfs proc) {
        return limit(proc, "pids.max", "pids", "pids.max");
    }

    private static long limit(Procfs proc, String v2File, String v1Controller, String v1File) {
        for (String p : paths(proc, "", v2File)) {
            long v = proc.sysNumber(p);
            if (v != -1) return v >= V1_UNLIMITED ? -1 : v;
        }
        for (String dir : paths(proc, v1Controller, "")) {
            long v = proc.sysNumber(dir + v1File);
            if (v > 0 && v < V1_UNLIMITED) return v;
        }
        return -1;
    }

    /** Candidate files (relative to the sysfs root): the controller's mount root and this process's own group below it. */
    private static List<String> paths(Procfs proc, String controller, String file) {
        String base = "fs/cgroup/" + (controller.isEmpty() ? "" : controller + "/");
        String own = ownPath(proc, controller);
        return own == null || own.equals("/") ? List.of(base + file) : List.of(base + own.substring(1) + "/" + file, base + file);
    }

    private static String ownPath(Procfs proc, String controller) {
        String s = proc.file("self/cgroup");
        if (s == null) return null;
        for (String line : s.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            if (controller.isEmpty() ? f[0].equals("0") : List.of(f[1].split(",")).contains(controller)) return f[2].trim();
        }
        return null;
    }

    private static String first(Procfs proc, List<String> paths) {
        for (String p : paths) {
            String s = proc.sysFile(p);
            if (s != null) return s;
        }
        return null;
    }
}
