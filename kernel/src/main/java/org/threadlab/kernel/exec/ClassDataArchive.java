package org.threadlab.kernel.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class-data archive for the execution JVM: the classes a lesson loads there (the helper library,
 * OSHI, JFreeChart, Java2D, JShell's agent) stored parsed and verified in one file that every
 * execution JVM maps instead of reading and verifying them from the jars again.
 * <p>
 * It pays twice on a class server. Each kernel start and each first chart spend less CPU (a lesson's
 * cells took 10-20 % less), and the mapped pages that stay clean are the same file for every student,
 * so the server holds one copy where each JVM held its own loaded classes. A single kernel pays for it
 * in resident memory: a JVM touches most of an archive it maps.
 * <p>
 * Made in two steps by {@code ./threadlab install-kernel} through {@code Main --train}: an execution
 * JVM started with {@link #recordFlag} writes the names of the classes it loads while the training
 * cells run, then {@link #dump} has a JVM with the execution JVM's own flags and class path store
 * them. A kernel whose JVM has {@code -Dthreadlab.execArchive=FILE} gives its execution JVM
 * {@link #useFlags}. The static dump from a list is used rather than the JDK 25 AOT cache the kernel
 * JVM has because that cache is written by its JVM as it exits, and the kernel ends an execution JVM
 * with SIGKILL to its process tree; the list is written as classes load.
 *
 * <pre>{@code
 * Path list = Files.createTempFile("exec", ".classlist");
 * KernelConfig c = KernelConfig.defaults().withExecutionFlag(ClassDataArchive.recordFlag(list));
 * // ... run cells on a kernel built with c, shut it down ...
 * ClassDataArchive.dump(KernelConfig.defaults().executionFlags(), KernelConfig.defaults().cellClassPath(), list, Path.of("exec.jsa"));
 * }</pre>
 */
public final class ClassDataArchive {
    /** The kernel JVM's system property naming the archive its execution JVMs map. */
    public static final String PROPERTY = "threadlab.execArchive";

    private ClassDataArchive() {}

    /** The flag that makes a JVM write the names of the classes it loads to {@code list}. */
    public static String recordFlag(Path list) {
        return "-XX:DumpLoadedClassList=" + list.toAbsolutePath();
    }

    /**
     * The execution JVM's flags to map {@code archive}, or none when it is not given or not readable
     * (a sandbox that does not show it). A stale archive (other jars, another JDK) is refused by
     * the JVM itself, which then starts as without it; its note goes to the start-up log only.
     */
    public static List<String> useFlags(String archive) {
        if (archive == null || archive.isBlank() || !Files.isReadable(Path.of(archive))) return List.of();
        return List.of("-XX:SharedArchiveFile=" + archive);
    }

    /**
     * Stores the classes named in {@code list} into {@code archive}, with the JVM that runs this
     * (the execution JVM's), the execution JVM's {@code flags} and {@code classPath}: the JVM refuses
     * an archive made under other module options or another class path.
     *
     * @throws IOException with the dumping JVM's output when it fails or takes over 120 s
     */
    public static void dump(List<String> flags, List<String> classPath, Path list, Path archive) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(GroupLeaderLauncher.java());
        for (String f : flags) {
            // a flag that records or maps an archive belongs to a run, not to the dump
            if (!f.startsWith("-XX:DumpLoadedClassList=") && !f.startsWith("-XX:SharedArchiveFile=")) cmd.add(f);
        }
        cmd.add("-Xshare:dump");
        cmd.add("-XX:SharedClassListFile=" + list.toAbsolutePath());
        cmd.add("-XX:SharedArchiveFile=" + archive.toAbsolutePath());
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, classPath));
        Path log = Files.createTempFile("threadlab-cds", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended;
            try {
                ended = p.waitFor(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while dumping the class-data archive", e);
            }
            if (!ended) p.destroyForcibly();
            if (!ended || p.exitValue() != 0 || !Files.isRegularFile(archive)) {
                Files.deleteIfExists(archive);
                throw new IOException("dumping the execution JVM's class-data archive failed (" + (ended ? "exit " + p.exitValue() : "over 120 s")
                        + "); kernels start without it, only slower:\n" + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
