package org.threadlab.kernel.exec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the kernel reads from Linux's {@code /proc} about processes; elsewhere every answer is "unknown". */
final class ProcFs {
    /** Linux's USER_HZ: the unit of start times in /proc/PID/stat, 100 on every architecture Java runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcFs() {}

    /** Seconds since boot, or NaN. */
    static double uptimeSeconds() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The fields of /proc/PID/stat after the command name (field 3, the state, first), or null. */
    private static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** When process {@code pid} started, in seconds since boot, or NaN. */
    /** When the process started, in clock ticks since boot (field 22 of its stat), or -1 when it is gone. */
    static long startTicks(long pid) {
        String[] f = stat(pid);
        return f == null || f.length < 20 ? -1 : Long.parseLong(f[19]);
    }

    static double startSeconds(long pid) {
        String[] f = stat(pid);
        // field 22 (starttime) is index 19 after the command name
        return f == null || f.length < 20 ? Double.NaN : Long.parseLong(f[19]) / TICKS_PER_SECOND;
    }

    /** The live processes whose process group is {@code pgid}. */
    static List<Long> processGroupMembers(long pgid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : ds) {
                long pid = Long.parseLong(p.getFileName().toString());
                String[] f = stat(pid);
                // field 5 (pgrp) is index 2; zombies (Z) are gone already
                if (f != null && f.length > 2 && !f[0].equals("Z") && f[2].equals(String.valueOf(pgid))) out.add(pid);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc
        }
        return out;
    }

    /** "SIGSEGV" from a HotSpot crash log's first lines ({@code #  SIGSEGV (0xb) at pc=...}), or null. */
    static String crashSignal(Path hsErr) {
        try (var lines = Files.lines(hsErr)) {
            return lines.limit(40).map(String::strip).filter(l -> l.matches("#\\s+SIG[A-Z]+ .*"))
                    .map(l -> l.replaceFirst("#\\s+(SIG[A-Z]+).*", "$1")).findFirst().orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String signalName(int sig) {
        return switch (sig) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 15 -> "SIGTERM";
            case 24 -> "SIGXCPU";
            case 25 -> "SIGXFSZ";
            default -> "signal " + sig;
        };
    }
}
