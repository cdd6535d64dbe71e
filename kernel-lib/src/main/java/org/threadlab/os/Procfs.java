package org.threadlab.os;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One procfs tree, read directly: the files behind {@link ProcBackend}. Its root is {@code /proc}
 * on a live Linux, or a recorded copy (tests read {@code src/test/resources/proc-fixtures/..} on
 * any OS); the few sysfs files ThreadLab reads (cgroup limits, CPU caches) come from a second root,
 * {@code /sys} or its recorded copy. Every reader returns {@code null} (or an empty list, or -1)
 * when a file is missing, unreadable or malformed, so that a process that ends mid-read or a
 * kernel without a field never surfaces as a parser exception.
 */
final class Procfs {
    /** USER_HZ: the unit of the tick counts in {@code stat}. Linux fixes it at 100 in its ABI on every mainstream architecture. */
    static final long TICKS_PER_SECOND = 100;
    static final long MS_PER_TICK = 1000 / TICKS_PER_SECOND;

    // strings, not Paths: a snapshot builds a few hundred file names, and concatenation is the cheap way
    private final String root;
    private final String sys;
    private volatile long bootMillis = -2;

    /** The procfs tree at {@code root} ({@code /proc}) and the sysfs tree at {@code sys} ({@code /sys}). */
    Procfs(Path root, Path sys) {
        this.root = root.toString();
        this.sys = sys.toString();
    }

    /** Whether {@code root} is a readable procfs (it has {@code self/stat}). */
    static boolean readable(Path root) {
        return Files.isReadable(root.resolve("self/stat"));
    }

    /** Where this tree is mounted, such as {@code /proc}. */
    Path root() {
        return Path.of(root);
    }

    /** The path of {@code rel} (like {@code "12/stat"}) under the proc root. */
    String path(String rel) {
        return root + "/" + rel;
    }

    /** The path of {@code rel} (like {@code "fs/cgroup/pids.max"}) under the sysfs root. */
    String sysPath(String rel) {
        return sys + "/" + rel;
    }

    /** The proc file {@code rel} as text, or {@code null}. */
    String file(String rel) {
        return read(path(rel));
    }

    /** The proc file {@code rel} holding one number, or -1. */
    long number(String rel) {
        return readLong(path(rel));
    }

    /** The sysfs file {@code rel} as text, or {@code null}. */
    String sysFile(String rel) {
        return read(sysPath(rel));
    }

    /** The sysfs file {@code rel} holding one number, or -1. */
    long sysNumber(String rel) {
        return readLong(sysPath(rel));
    }

    /** The process ids: the numeric entries of the root. */
    List<Long> pids() {
        return numericEntries(root);
    }

    /** The thread ids of process {@code pid}: its {@code task} folder; empty when it is gone. */
    List<Long> tasks(long pid) {
        return numericEntries(path(pid + "/task"));
    }

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    /** The whole file as text (up to 16 KiB), or {@code null} if it cannot be read. */
    static String read(String path) {
        byte[] buf = BUFFER.get();
        try (FileInputStream in = new FileInputStream(path)) {
            int n = 0;
            while (n < buf.length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) break;
                n += r;
            }
            return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Files of this JVM's own threads kept open between snapshots: re-reading an open
     * {@code /proc} file at offset 0 makes the OS kernel regenerate it, and skips the path lookup
     * of an open, which is most of the cost (measured: 4 us instead of 15 us for a stat).
     */
    private static final Map<String, FileChannel> OPEN = new HashMap<>();
    private static final ByteBuffer DIRECT = ByteBuffer.allocateDirect(16 * 1024);

    /** Like {@link #read}, through a kept-open file; for files of this JVM's tasks. */
    static synchronized String readKept(String path) {
        // a FileChannel closes itself when its reader is interrupted (and refuses an interrupted
        // reader): a cell thread with its interrupt flag set must neither fail nor break the cache
        if (Thread.currentThread().isInterrupted()) return read(path);
        FileChannel ch = OPEN.get(path);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (ch == null) {
                    ch = FileChannel.open(Path.of(path), StandardOpenOption.READ);
                    OPEN.put(path, ch);
                }
                DIRECT.clear();
                int n = ch.read(DIRECT, 0);
                if (n > 0) {
                    byte[] buf = BUFFER.get();
                    DIRECT.flip();
                    DIRECT.get(buf, 0, n);
                    return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                }
            } catch (IOException | RuntimeException e) {
                // the task ended, or its id now names a new task: reopen once
            }
            closeQuietly(OPEN.remove(path));
            ch = null;
        }
        return null;
    }

    /** Closes the kept files of tasks of {@code pid} that are not in {@code alive}. */
    void keepOnly(long pid, java.util.Collection<Long> alive) {
        keepOnly(path(pid + "/task/"), alive);
    }

    private static synchronized void keepOnly(String prefix, java.util.Collection<Long> alive) {
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (long tid : alive) keep.add(prefix + tid + "/");
        var it = OPEN.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            String k = e.getKey();
            if (!k.startsWith(prefix)) continue;
            if (!keep.contains(k.substring(0, k.lastIndexOf('/') + 1))) {
                closeQuietly(e.getValue());
                it.remove();
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            if (ch != null) ch.close();
        } catch (IOException ignored) {
            // nothing was written
        }
    }

    /** A file holding one number (like {@code /proc/sys/kernel/pid_max}), or -1. */
    static long readLong(String path) {
        String s = read(path);
        if (s == null) return -1;
        s = s.trim();
        if (s.equals("max")) return Long.MAX_VALUE;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The numeric entries of a directory such as {@code /proc} or {@code /proc/PID/task}; empty if it is gone. */
    static List<Long> numericEntries(String dir) {
        // File.list: names only, no Path per entry (this runs at every 10th tick of a watch)
        String[] names = new java.io.File(dir).list();
        if (names == null) return List.of();
        List<Long> ids = new ArrayList<>(names.length);
        for (String s : names) {
            if (!s.isEmpty() && Character.isDigit(s.charAt(0))) {
                try {
                    ids.add(Long.parseLong(s));
                } catch (NumberFormatException ignored) {
                    // not a process directory
                }
            }
        }
        return ids;
    }

    /**
     * The fields of a {@code stat} line (process or task) that ThreadLab shows. Times in clock ticks
     * (see {@link #TICKS_PER_SECOND}); {@code processor} is -1 when the kernel does not report it.
     */
    record Stat(long id, String comm, char state, long ppid, long utime, long stime, int priority, int nice,
                int numThreads, long startTicks, long vsizeBytes, long rssPages, int processor) {}

    /**
     * Parses one {@code stat} line. The command name sits in parentheses and may itself hold
     * spaces and parentheses, so fields are counted from the last {@code ')'}.
     */
    static Stat parseStat(String line) {
        if (line == null) return null;
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= line.length()) return null;
        try {
            long id = Long.parseLong(line.substring(0, open).trim());
            String comm = line.substring(open + 1, close);
            String[] f = line.substring(close + 2).trim().split(" ");
            // f[0] is field 3 of proc(5) (state); field k is f[k - 3]
            if (f.length < 20) return null;
            char state = f[0].isEmpty() ? '?' : f[0].charAt(0);
            return new Stat(id, comm, state, Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                    Integer.parseInt(f[15]), Integer.parseInt(f[16]), Integer.parseInt(f[17]), Long.parseLong(f[19]),
                    f.length > 20 ? Long.parseLong(f[20]) : -1, f.length > 21 ? Long.parseLong(f[21]) : -1,
                    f.length > 36 ? Integer.parseInt(f[36]) : -1);
        } catch (RuntimeException e) {
            return null;
        }
    }

    Stat stat(long pid) {
        return parseStat(file(pid + "/stat"));
    }

    Stat taskStat(long pid, long tid, boolean kept) {
        String path = path(pid + "/task/" + tid + "/stat");
        return parseStat(kept ? readKept(path) : read(path));
    }

    /** {@code key: value} lines of the proc file {@code rel} (a {@code status}, {@code meminfo}); empty if unreadable. */
    Map<String, String> status(String rel) {
        return keyValues(file(rel));
    }

    /** {@code key: value} lines of a text; empty for {@code null}. */
    static Map<String, String> keyValues(String s) {
        Map<String, String> m = new HashMap<>();
        if (s == null) return m;
        for (String line : s.split("\n")) {
            int c = line.indexOf(':');
            if (c > 0) m.put(line.substring(0, c), line.substring(c + 1).trim());
        }
        return m;
    }

    /** Two counters of a task's {@code status}: voluntary and involuntary context switches; -1 when absent. */
    long[] contextSwitches(long pid, long tid, boolean kept) {
        String path = path(pid + "/task/" + tid + "/status");
        String s = kept ? readKept(path) : read(path);
        long[] r = {-1, -1};
        if (s == null) return r;
        r[0] = valueAfter(s, "\nvoluntary_ctxt_switches:");
        r[1] = valueAfter(s, "\nnonvoluntary_ctxt_switches:");
        return r;
    }

    /** The number after {@code key} in {@code text}, or -1. */
    static long valueAfter(String text, String key) {
        int i = text.indexOf(key);
        if (i < 0) return -1;
        i += key.length();
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
        long v = 0;
        boolean any = false;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            v = v * 10 + (text.charAt(i) - '0');
            any = true;
            i++;
        }
        return any ? v : -1;
    }

    /** The first number of a status value like {@code "1024 kB"}, in bytes when the unit is kB; -1 if absent. */
    static long kbValue(Map<String, String> status, String key) {
        String v = status.get(key);
        if (v == null) return -1;
        String[] p = v.trim().split("\\s+");
        try {
            long n = Long.parseLong(p[0]);
            return p.length > 1 && p[1].equalsIgnoreCase("kB") ? n * 1024 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The command line with arguments separated by spaces; blank for kernel threads; null if unreadable. */
    String cmdline(long pid) {
        String s = file(pid + "/cmdline");
        if (s == null) return null;
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == 0) end--;
        return s.substring(0, end).replace('\0', ' ');
    }

    /** When the machine booted, in milliseconds since the epoch (from {@code btime} in {@code /proc/stat}); -1 if unknown. */
    long bootMillis() {
        long b = bootMillis;
        if (b == -2) {
            String s = file("stat");
            long sec = s == null ? -1 : valueAfter(s, "\nbtime");
            b = sec < 0 ? -1 : sec * 1000;
            bootMillis = b;
        }
        return b;
    }

    /** Start ticks since boot to epoch milliseconds; -1 if unknown. */
    long startMillis(long startTicks) {
        long boot = bootMillis();
        return boot < 0 || startTicks < 0 ? -1 : boot + startTicks * MS_PER_TICK;
    }

    private static volatile Map<Long, String> users;

    /** A user name for a numeric uid, from {@code /etc/passwd}; the number itself when unknown. */
    static String userName(long uid) {
        if (uid < 0) return "";
        Map<Long, String> u = users;
        if (u == null) {
            u = new HashMap<>();
            try {
                for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                    String[] f = line.split(":");
                    if (f.length > 2) {
                        try {
                            u.putIfAbsent(Long.parseLong(f[2]), f[0]);
                        } catch (NumberFormatException ignored) {
                            // a malformed line names no user
                        }
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // no passwd file (minimal containers): numbers will do
            }
            users = u;
        }
        return u.getOrDefault(uid, Long.toString(uid));
    }

    /** The soft and hard values of a line of {@code self/limits} ("Max processes"); -1 unknown, Long.MAX_VALUE unlimited. */
    long[] limit(String name) {
        String s = file("self/limits");
        long[] r = {-1, -1};
        if (s == null) return r;
        for (String line : s.split("\n")) {
            if (line.startsWith(name)) {
                String[] f = line.substring(name.length()).trim().split("\\s+");
                if (f.length >= 2) {
                    r[0] = limitValue(f[0]);
                    r[1] = limitValue(f[1]);
                }
            }
        }
        return r;
    }

    private static long limitValue(String s) {
        if (s.equals("unlimited")) return Long.MAX_VALUE;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Counts the CPUs of a list such as {@code 0-3,6,8-9} (Cpus_allowed_list); -1 if malformed. */
    static int countCpuList(String list) {
        if (list == null || list.isBlank()) return -1;
        int n = 0;
        try {
            for (String part : list.trim().split(",")) {
                int dash = part.indexOf('-');
                if (dash < 0) {
                    Integer.parseInt(part.trim());
                    n++;
                } else {
                    n += Integer.parseInt(part.substring(dash + 1).trim()) - Integer.parseInt(part.substring(0, dash).trim()) + 1;
                }
            }
        } catch (NumberFormatException e) {
            return -1;
        }
        return n;
    }
}
