package org.threadlab.os;

import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OSThread;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The portable backend, for macOS, Windows and any OS without a readable {@code /proc}: asks
 * OSHI, and lists in each result's {@code unavailable()} the fields that OS does not give (last
 * CPU, the split of context switches, nice). OSHI may start threads of its own (JNA's cleaner),
 * so every call runs outside the cell ({@link Os#outsideCell}).
 */
final class OshiBackend implements Backend {
    private static volatile SystemInfo info;

    /** OSHI's entry point, made once (its first use costs a few hundred ms). Linux's machine facts use it too. */
    static SystemInfo info() {
        SystemInfo s = info;
        if (s == null) {
            synchronized (OshiBackend.class) {
                if (info == null) info = new SystemInfo();
                s = info;
            }
        }
        return s;
    }

    @Override
    public ThreadList threads(long pid) {
        return Os.outsideCell(() -> threadsHere(pid));
    }

    private ThreadList threadsHere(long pid) {
        long taken = System.currentTimeMillis();
        OSProcess p = info().getOperatingSystem().getProcess((int) pid);
        if (p == null) throw noSuchProcess(pid);
        String os = System.getProperty("os.name");
        List<String> unavailable = new ArrayList<>(List.of(
                "PSR (last CPU): not reported on " + os,
                "voluntary/involuntary switches: " + os + " gives only their sum (shown as voluntary)",
                "nice: not reported on " + os));
        boolean me = pid == Os.self();
        Map<Long, Thread> live = me ? JavaThreads.liveThreads() : Map.of();
        List<OSThread> details = p.getThreadDetails();
        long[] tids = details.stream().mapToLong(OSThread::getThreadId).toArray();
        String[] names = details.stream().map(d -> d.getName() == null ? "" : d.getName()).toArray(String[]::new);
        long[] javaIds = me ? JavaThreads.byName(tids, names, live) : null;
        if (me) unavailable.add("exact Java thread match: only on Linux; matched by name");
        List<OsThread> out = new ArrayList<>();
        for (int i = 0; i < details.size(); i++) {
            OSThread d = details.get(i);
            long jid = me ? javaIds[i] : -2;
            Thread t = jid >= 0 ? live.get(jid) : null;
            out.add(new OsThread(pid, d.getThreadId(), names[i], letter(d.getState()), d.getUserTime(), d.getKernelTime(), -1,
                    d.getContextSwitches(), -1, d.getPriority(), 0, d.getStartTime() > 0 ? d.getStartTime() : -1,
                    me ? JavaThreads.kindOf(jid, t) : OsThread.Kind.OTHER, t == null ? -1 : t.threadId(),
                    t == null ? "" : t.getName(), t == null ? null : t.getState(), t != null && t.isDaemon(), false,
                    JavaThreads.cellOf(t), t));
        }
        return new ThreadList(pid, taken, out, unavailable);
    }

    static char letter(OSProcess.State s) {
        if (s == null) return '?';
        return switch (s) {
            case RUNNING -> 'R';
            case SLEEPING, WAITING -> 'S';
            case ZOMBIE -> 'Z';
            case STOPPED, SUSPENDED -> 'T';
            default -> '?';
        };
    }

    @Override
    public ProcessInfo process(long pid) {
        return Os.outsideCell(() -> {
            OSProcess p = info().getOperatingSystem().getProcess((int) pid);
            return p == null ? null : info(p);
        });
    }

    private static ProcessInfo info(OSProcess p) {
        List<String> unavailable = new ArrayList<>();
        String cmd = p.getCommandLine();
        if (cmd == null || cmd.isBlank()) unavailable.add("command line: not readable (another user's process?)");
        return new ProcessInfo(p.getProcessID(), p.getParentProcessID(), p.getName(), cmd == null ? "" : cmd,
                letter(p.getState()), p.getThreadCount(), p.getResidentSetSize(), p.getVirtualSize(),
                p.getUserTime(), p.getKernelTime(), p.getStartTime(), p.getUser(), unavailable);
    }

    @Override
    public ProcessList processes() {
        return Os.outsideCell(() -> new ProcessList(info().getOperatingSystem().getProcesses().stream()
                .map(OshiBackend::info).toList(), List.of()));
    }

    @Override
    public ProcessList children(long pid) {
        return Os.outsideCell(() -> new ProcessList(info().getOperatingSystem().getChildProcesses((int) pid, null, null, 0)
                .stream().map(OshiBackend::info).toList(), List.of()));
    }

    @Override
    public Machine machine() {
        return Machine.read(new Machine.Local(System.getProperty("os.version"), -1, -1, -1, List.of()));
    }

    @Override
    public Limits limits() {
        return Limits.fromOshi();
    }
}
