package org.threadlab.os;

import org.threadlab.display.Table;
import org.threadlab.display.Tabular;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machine the kernel runs on, like {@code lscpu} and {@code free}, plus what this JVM sees of it.
 *
 * <pre>{@code
 * Machine m = machine();
 * System.out.println(m.physicalCores() + " cores, " + m.logicalCpus() + " CPUs, SMT " + (m.smt() ? "on" : "off"));
 * }</pre>
 *
 * @param cpuModel            the processor's model name
 * @param physicalCores       physical cores (all packages); -1 unknown
 * @param logicalCpus         logical CPUs the OS runs threads on (online hardware threads)
 * @param smt                 simultaneous multithreading (Hyper-Threading): more logical CPUs than cores
 * @param caches              the CPU caches, for example {@code "L1 data 32 KiB"}, each with how many there are
 * @param memoryBytes         physical memory, in bytes
 * @param availableBytes      memory available to new work without swapping, in bytes
 * @param os                  the operating system's name and version
 * @param kernel              the OS kernel's release (for example {@code 6.8.0-45-generic})
 * @param arch                the architecture ({@code amd64}, {@code aarch64}...)
 * @param jvm                 the JVM's name and version
 * @param jvmVendor           who built the JVM
 * @param availableProcessors CPUs the JVM may use ({@link Runtime#availableProcessors()}: affinity and cgroup quota)
 * @param allowedCpus         CPUs this process may run on (its affinity, what {@code nproc} prints); -1 unknown
 * @param cgroupCpus          the cgroup's CPU quota in CPUs (1.5 = one and a half); -1 when none
 * @param cgroupMemoryBytes   the cgroup's memory limit, in bytes; -1 when none
 * @param maxHeapBytes        the largest Java heap this JVM may grow to, in bytes
 * @param unavailable         what could not be read, and why
 */
public record Machine(String cpuModel, int physicalCores, int logicalCpus, boolean smt, List<String> caches,
                      long memoryBytes, long availableBytes, String os, String kernel, String arch, String jvm,
                      String jvmVendor, int availableProcessors, int allowedCpus, double cgroupCpus,
                      long cgroupMemoryBytes, long maxHeapBytes, List<String> unavailable) implements Tabular {

    /**
     * What only the OS's own files tell, given by the backend: the OS kernel's release, the CPUs
     * this process may run on (-1 unknown), the cgroup's CPU quota and memory limit (-1 none), and
     * the caches as sysfs lists them (empty: OSHI's list stands).
     */
    record Local(String kernel, int allowedCpus, double cgroupCpus, long cgroupMemoryBytes, List<String> caches) {}

    /** OSHI's view of the hardware, completed by {@code local}. */
    static Machine read(Local local) {
        List<String> unavailable = new ArrayList<>();
        String model = "";
        int cores = -1, logical = Runtime.getRuntime().availableProcessors();
        List<String> caches = new ArrayList<>();
        long mem = -1, avail = -1;
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version");
        try {
            HardwareAbstractionLayer hal = OshiBackend.info().getHardware();
            CentralProcessor cpu = hal.getProcessor();
            model = cpu.getProcessorIdentifier().getName().trim();
            cores = cpu.getPhysicalProcessorCount();
            logical = cpu.getLogicalProcessorCount();
            Map<String, Integer> count = new LinkedHashMap<>();
            for (CentralProcessor.ProcessorCache c : cpu.getProcessorCaches()) {
                String type = switch (c.getType()) {
                    case DATA -> " data";
                    case INSTRUCTION -> " instruction";
                    case TRACE -> " trace";
                    default -> "";
                };
                count.merge("L" + c.getLevel() + type + " " + size(Integer.toUnsignedLong(c.getCacheSize())), 1, Integer::sum);
            }
            count.forEach((k, v) -> caches.add(k + (v > 1 ? " x" + v : "")));
            // OSHI 6.8 misreads Linux's sysfs sizes (32K comes out as 32 B): the backend read them itself
            if (!local.caches().isEmpty()) {
                caches.clear();
                caches.addAll(local.caches());
            }
            if (caches.isEmpty()) unavailable.add("caches: not reported by this OS or VM");
            GlobalMemory gm = hal.getMemory();
            mem = gm.getTotal();
            avail = gm.getAvailable();
            OperatingSystem o = OshiBackend.info().getOperatingSystem();
            os = (o.getFamily() + " " + o.getVersionInfo().getVersion()).trim();
        } catch (RuntimeException | LinkageError e) {
            unavailable.add("CPU model, cores, caches, memory: OSHI could not read them here (" + e.getClass().getSimpleName() + ")");
        }
        String kernel = local.kernel();
        int allowed = local.allowedCpus();
        if (allowed < 0) unavailable.add("allowed CPUs (affinity): only on Linux");
        return new Machine(model, cores, logical, cores > 0 && logical > cores, List.copyOf(caches), mem, avail, os, kernel,
                System.getProperty("os.arch"), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("java.vendor"), Runtime.getRuntime().availableProcessors(), allowed,
                local.cgroupCpus(), local.cgroupMemoryBytes(), Runtime.getRuntime().maxMemory(),
                List.copyOf(unavailable));
    }

    /** Distinct caches from sysfs, as "L1 data 32 KiB x2" (x: how many instances, one per set of CPUs sharing it). */
    static List<String> linuxCaches(Procfs proc) {
        Map<String, java.util.Set<String>> instances = new LinkedHashMap<>();
        for (int cpu = 0; cpu < 4096; cpu++) {
            String base = "devices/system/cpu/cpu" + cpu + "/cache/";
            if (proc.sysFile(base + "index0/level") == null) {
                if (cpu > 0) break;
                return List.of();
            }
            for (int i = 0; i < 16; i++) {
                String level = proc.sysFile(base + "index" + i + "/level");
                if (level == null) break;
                String type = trim(proc.sysFile(base + "index" + i + "/type")).toLowerCase(java.util.Locale.ROOT);
                String size = trim(proc.sysFile(base + "index" + i + "/size"));
                String shared = trim(proc.sysFile(base + "index" + i + "/shared_cpu_list"));
                long bytes = -1;
                try {
                    bytes = size.endsWith("K") ? Long.parseLong(size.substring(0, size.length() - 1)) * 1024
                            : size.endsWith("M") ? Long.parseLong(size.substring(0, size.length() - 1)) * 1024 * 1024
                            : Long.parseLong(size);
                } catch (NumberFormatException ignored) {
                    // unknown size format: shown as given
                }
                String key = "L" + level.trim() + (type.equals("unified") ? "" : " " + type) + " " + (bytes < 0 ? size : size(bytes));
                instances.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(shared.isEmpty() ? "cpu" + cpu : shared);
            }
        }
        List<String> out = new ArrayList<>();
        instances.forEach((k, v) -> out.add(k + (v.size() > 1 ? " x" + v.size() : "")));
        return out;
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    /** Bytes in binary units: {@code 32 KiB}, {@code 1.5 GiB}. */
    static String size(long bytes) {
        if (bytes < 0) return "";
        if (bytes == Long.MAX_VALUE) return "unlimited";
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.1f", v)) + " " + units[u];
    }

    public Table table() {
        List<List<String>> rows = new ArrayList<>();
        add(rows, "CPU model", cpuModel);
        add(rows, "physical cores", cores(physicalCores));
        add(rows, "logical CPUs", Integer.toString(logicalCpus));
        add(rows, "SMT (hyper-threading)", physicalCores < 0 ? "unknown" : smt ? "on" : "off");
        add(rows, "caches", String.join(", ", caches));
        add(rows, "memory", size(memoryBytes));
        add(rows, "memory available", size(availableBytes));
        add(rows, "OS", os);
        add(rows, "kernel", kernel);
        add(rows, "architecture", arch);
        add(rows, "JVM", jvm);
        add(rows, "JVM vendor", jvmVendor);
        add(rows, "JVM available processors", Integer.toString(availableProcessors));
        add(rows, "allowed CPUs (nproc)", cores(allowedCpus));
        add(rows, "cgroup CPU quota", cgroupCpus < 0 ? "none" : String.format("%.2f CPUs", cgroupCpus));
        add(rows, "cgroup memory limit", cgroupMemoryBytes < 0 ? "none" : size(cgroupMemoryBytes));
        add(rows, "JVM max heap", size(maxHeapBytes));
        Table t = Table.of(List.of("FIELD", "VALUE"), rows).titled("machine");
        return unavailable.isEmpty() ? t : t.withFooter("unavailable: " + String.join("; ", unavailable));
    }

    private static String cores(int n) {
        return n < 0 ? "" : Integer.toString(n);
    }

    private static void add(List<List<String>> rows, String k, String v) {
        rows.add(List.of(k, v == null ? "" : v));
    }

    @Override public String toString() { return table().toString(); }
}
