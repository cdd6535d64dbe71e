package org.threadlab.os;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matches this JVM's OS threads to its {@link Thread}s.
 *
 * <p><b>How.</b> HotSpot's diagnostic command {@code Thread.print} (what {@code jcmd PID Thread.print}
 * runs, reached in-process through the {@code DiagnosticCommand} MBean) prints, for every thread the
 * JVM knows, its Java id ({@code #12}) and its OS thread id ({@code [4711]}, or {@code nid=} before
 * JDK 19). That pairing is exact, so
 * names do not matter. The command stops the JVM at a safepoint and formats every stack (about 1 ms
 * for 100 threads), so its answer is cached per OS thread (keyed by TID and start time, which never
 * change for a thread's life) and the command runs again only when a thread appears that the cache
 * does not know. Thread names, states and groups are read fresh from the {@link Thread} objects at
 * each snapshot, found through the root thread group (no stacks, no safepoint).
 *
 * <p><b>Fallback, and where it fails.</b> On JVMs without that command (OpenJ9, or when JMX is
 * unavailable) the match is by name: HotSpot and most JVMs name the OS thread after the Java thread
 * when it starts, cut to 15 bytes on Linux ({@code /proc/PID/task/TID/comm}). That fails or guesses
 * when (1) two threads share their first 15 characters ("worker-thread-10" and "worker-thread-11":
 * they are then paired in order of creation, which may be wrong); (2) a thread was renamed by
 * another thread after it started ({@code setName} renames the OS thread only when a thread renames
 * itself); (3) names hold non-ASCII characters cut mid-character. The exact path also has limits:
 * virtual threads have no OS thread of their own and never appear (their carriers do, as
 * {@link OsThread.Kind#CARRIER}); threads that start between the listing of {@code /proc} and the
 * command are matched at the next snapshot.
 */
final class JavaThreads {
    private JavaThreads() {}

    /** A Java id from Thread.print; -1: listed but with no Java id (VM-internal); -2: not listed at all. */
    private record Entry(long startTicks, long javaId) {}

    private static final Map<Long, Entry> CACHE = new HashMap<>();
    private static volatile Boolean dcmdWorks;
    // JDK 19+ prints the OS thread id in brackets after the Java id; older ones only as nid=
    // (which a carrier thread busy with a virtual thread omits)
    private static final Pattern HEADER = Pattern.compile(
            "^\"(.*)\" (?:#(\\d+) )?(?:\\[(\\d+)\\] )?(?:daemon )?(?:prio=-?\\d+ )?os_prio=");
    private static final Pattern NID = Pattern.compile(" nid=(0x[0-9a-fA-F]+|\\d+)");
    private static final Pattern CELL = Pattern.compile("cell-(\\d+)");

    /** Every live platform thread of this JVM, by Java id, without stacks or safepoints. */
    static Map<Long, Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        if (root == null) root = Thread.ofPlatform().unstarted(() -> {}).getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread[] all = new Thread[root.activeCount() + 32];
        int n;
        while ((n = root.enumerate(all, true)) == all.length) all = new Thread[all.length * 2];
        Map<Long, Thread> m = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) m.put(all[i].threadId(), all[i]);
        return m;
    }

    /** The cell number from a thread's group ({@code cell-N}, walking up the parents); -1 when none. */
    static int cellOf(Thread t) {
        if (t == null) return -1;
        for (ThreadGroup g = t.getThreadGroup(); g != null; g = g.getParent()) {
            Matcher m = CELL.matcher(g.getName());
            if (m.matches()) return Integer.parseInt(m.group(1));
        }
        Matcher m = CELL.matcher(t.getName());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    static OsThread.Kind kindOf(long javaId, Thread t) {
        if (javaId == -2) return OsThread.Kind.NATIVE;
        if (javaId < 0 || t == null) return OsThread.Kind.JVM;   // VM threads, or hidden ones (JIT compilers)
        String cls = t.getClass().getName();
        if (cls.endsWith("CarrierThread")) return OsThread.Kind.CARRIER;
        if (cls.endsWith("InnocuousThread")) return OsThread.Kind.JVM;  // cleaners, process reapers
        ThreadGroup g = t.getThreadGroup();
        if (g != null && g.getParent() == null) return OsThread.Kind.JVM;  // the "system" group: reference handler, finalizer, signal dispatcher
        return OsThread.Kind.JAVA;
    }

    /**
     * Java ids for the given OS threads of this JVM, {@code tids[i]} started at {@code startTicks[i]}.
     * Values: a Java id; -1 a VM-internal thread; -2 an OS thread the JVM does not list.
     * {@code null} when the exact method is unavailable (the caller then matches by name).
     */
    static synchronized long[] javaIds(long[] tids, long[] startTicks, Map<Long, Thread> live) {
        if (Boolean.FALSE.equals(dcmdWorks)) return null;
        boolean refresh = false;
        Set<Long> mapped = new HashSet<>();
        for (int i = 0; i < tids.length && !refresh; i++) {
            Entry e = CACHE.get(tids[i]);
            if (e == null || e.startTicks != startTicks[i]) refresh = true;
            else if (e.javaId >= 0) mapped.add(e.javaId);
        }
        if (!refresh) {
            // a visible Java thread that no cached OS thread carries started since the last look
            for (Long id : live.keySet()) {
                if (!mapped.contains(id)) {
                    refresh = true;
                    break;
                }
            }
        }
        if (refresh) {
            Map<Long, Long> printed = threadPrint();
            if (printed == null) return null;
            Map<Long, Entry> keep = new HashMap<>();
            for (int i = 0; i < tids.length; i++) {
                keep.put(tids[i], new Entry(startTicks[i], printed.getOrDefault(tids[i], -2L)));
            }
            CACHE.clear();
            CACHE.putAll(keep);
        }
        long[] ids = new long[tids.length];
        for (int i = 0; i < tids.length; i++) {
            Entry e = CACHE.get(tids[i]);
            ids[i] = e == null ? -2 : e.javaId;
        }
        return ids;
    }

    /** OS thread id to Java id (-1 for VM threads without one), from {@code Thread.print}; null when unavailable. */
    static Map<Long, Long> threadPrint() {
        String out;
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
            out = (String) server.invoke(name, "threadPrint", new Object[]{new String[0]}, new String[]{String[].class.getName()});
        } catch (Exception | LinkageError e) {
            dcmdWorks = false;
            return null;
        }
        Map<Long, Long> m = parseThreadPrint(out);
        dcmdWorks = !m.isEmpty();
        return dcmdWorks ? m : null;
    }

    /**
     * This JVM's virtual threads from {@code Thread.dump_to_file -format=json}, with their carriers
     * matched to OS threads; an empty list naming the reason when the command is missing.
     */
    static VirtualThreadList virtualThreads() {
        java.nio.file.Path file = null;
        String json;
        try {
            file = java.nio.file.Files.createTempFile("threadlab-threads", ".json");
            java.nio.file.Files.delete(file);   // the command refuses to overwrite
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
            server.invoke(name, "threadDumpToFile", new Object[]{new String[]{"-format=json", file.toString()}},
                    new String[]{String[].class.getName()});
            json = java.nio.file.Files.readString(file);
        } catch (Exception | LinkageError e) {
            return new VirtualThreadList(List.of(), List.of("virtual threads: this JVM has no Thread.dump_to_file diagnostic command (HotSpot 21+ has)"));
        } finally {
            try {
                if (file != null) java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
        Map<Long, Long> tidOf = new HashMap<>();
        Map<Long, String> nameOf = new HashMap<>();
        try {
            for (OsThread t : Os.threads()) {
                if (t.javaId() >= 0) {
                    tidOf.put(t.javaId(), t.tid());
                    nameOf.put(t.javaId(), t.displayName());
                }
            }
        } catch (RuntimeException ignored) {
            // carriers stay without OS ids
        }
        List<VirtualThreadList.VirtualThread> out = new ArrayList<>();
        for (Map<String, String> t : parseThreadDump(json)) {
            if (!"true".equals(t.get("virtual"))) continue;
            long carrier = parseId(t.get("carrier"));
            out.add(new VirtualThreadList.VirtualThread(parseId(t.get("tid")), t.getOrDefault("name", ""), t.getOrDefault("state", ""),
                    carrier, carrier < 0 ? -1 : tidOf.getOrDefault(carrier, -1L), carrier < 0 ? "" : nameOf.getOrDefault(carrier, "#" + carrier),
                    t.getOrDefault("container", "")));
        }
        return new VirtualThreadList(out, List.of());
    }

    private static long parseId(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static final List<String> DUMP_FIELDS = List.of("tid", "virtual", "name", "state", "carrier");

    /**
     * The thread objects of the JDK's JSON thread dump ({@code threadDump.threadContainers[].threads[]}),
     * one map of fields per thread with the container it is in; empty for text that is no such dump.
     */
    static List<Map<String, String>> parseThreadDump(String json) {
        List<Map<String, String>> threads = new ArrayList<>();
        if (json == null) return threads;
        try {
            var root = com.google.gson.JsonParser.parseString(json);
            if (!root.isJsonObject() || !root.getAsJsonObject().has("threadDump")) return threads;
            var containers = root.getAsJsonObject().getAsJsonObject("threadDump").getAsJsonArray("threadContainers");
            if (containers == null) return threads;
            for (var c : containers) {
                var container = c.getAsJsonObject();
                String name = text(container.get("container"));
                var list = container.getAsJsonArray("threads");
                if (list == null) continue;
                for (var t : list) {
                    Map<String, String> fields = new HashMap<>();
                    fields.put("container", name == null ? "" : name);
                    for (String f : DUMP_FIELDS) {
                        String v = text(t.getAsJsonObject().get(f));
                        if (v != null) fields.put(f, v);
                    }
                    threads.add(fields);
                }
            }
        } catch (com.google.gson.JsonParseException | IllegalStateException | ClassCastException e) {
            // not a thread dump of this shape: no threads
        }
        return threads;
    }

    /** A field's value as text ("true" for a JSON true), or null when absent or JSON null. */
    private static String text(com.google.gson.JsonElement e) {
        return e == null || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    static Map<Long, Long> parseThreadPrint(String out) {
        Map<Long, Long> m = new HashMap<>();
        if (out == null) return m;
        for (String line : out.split("\n")) {
            if (!line.startsWith("\"")) continue;
            Matcher h = HEADER.matcher(line);
            if (!h.find()) continue;
            try {
                long tid;
                if (h.group(3) != null) {
                    tid = Long.parseLong(h.group(3));
                } else {
                    Matcher n = NID.matcher(line);
                    if (!n.find(h.end())) continue;
                    String nid = n.group(1);
                    tid = nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid);
                }
                m.put(tid, h.group(2) == null ? -1L : Long.parseLong(h.group(2)));
            } catch (NumberFormatException ignored) {
                // a header this JVM formats differently: that thread stays unmatched
            }
        }
        return m;
    }

    /**
     * The name-based fallback: pairs OS threads with Java threads whose name starts with the OS name
     * (cut at 15 characters), in order of creation (TID and Java id both grow) when several match.
     */
    static long[] byName(long[] tids, String[] comms, Map<Long, Thread> live) {
        Map<String, List<Thread>> byPrefix = new HashMap<>();
        for (Thread t : live.values()) {
            String n = t.getName();
            byPrefix.computeIfAbsent(n.length() > 15 ? n.substring(0, 15) : n, k -> new ArrayList<>()).add(t);
        }
        byPrefix.values().forEach(l -> l.sort(Comparator.comparingLong(Thread::threadId)));
        Map<String, List<Integer>> osByName = new HashMap<>();
        for (int i = 0; i < tids.length; i++) osByName.computeIfAbsent(comms[i], k -> new ArrayList<>()).add(i);
        long[] ids = new long[tids.length];
        java.util.Arrays.fill(ids, -2);
        for (var e : osByName.entrySet()) {
            List<Thread> js = byPrefix.getOrDefault(e.getKey(), List.of());
            List<Integer> os = new ArrayList<>(e.getValue());
            os.sort(Comparator.comparingLong(i -> tids[i]));
            for (int k = 0; k < os.size() && k < js.size(); k++) ids[os.get(k)] = js.get(k).threadId();
        }
        return ids;
    }
}
