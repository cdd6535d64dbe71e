package org.threadlab.kernel.exec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadlab.kernel.KernelConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The execution JVM's class-data archive: recorded, dumped with its flags and class path, and mapped. */
class ClassDataArchiveTest {

    /** The jars of the kernel's class path (CDS archives classes from jars, not from folders). */
    private static List<String> jars() {
        return KernelConfig.defaults().cellClassPath().stream().filter(p -> p.endsWith(".jar")).toList();
    }

    /** Runs a JVM with the execution JVM's flags and these, and returns what it printed. */
    private static String run(List<String> flags, List<String> cp, String mainClass) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(GroupLeaderLauncher.java()));
        cmd.addAll(KernelConfig.defaults().executionFlags().stream().filter(f -> !f.startsWith("-XX:SharedArchiveFile=")).toList());
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, cp), mainClass));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void classesOfTheListAreLoadedFromTheArchiveByAJvmWithTheExecutionFlags(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("classes.list");
        Path archive = dir.resolve("exec.jsa");
        // what a training records: a library class on the class path and the JDK classes it needs (a class
        // without main: the launcher loads it before it looks for main, which is all this needs)
        run(List.of(ClassDataArchive.recordFlag(list)), jars(), "com.google.gson.internal.GsonBuildConfig");
        assertTrue(Files.readString(list).contains("com/google/gson/internal/GsonBuildConfig"), "the class list names the class loaded");

        ClassDataArchive.dump(KernelConfig.defaults().executionFlags(), jars(), list, archive);
        assertTrue(Files.size(archive) > 1_000_000, "an archive with the JDK's classes and the library's");

        String log = run(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info"), jars(), "com.google.gson.internal.GsonBuildConfig");
        assertTrue(log.contains("com.google.gson.internal.GsonBuildConfig source: shared objects file"), log.lines().filter(l -> l.contains("gson")).toList().toString());
    }

    @Test
    void anArchiveIsUsedOnlyWhereItCanBeRead(@TempDir Path dir) throws IOException {
        assertEquals(List.of(), ClassDataArchive.useFlags(null));
        assertEquals(List.of(), ClassDataArchive.useFlags(dir.resolve("absent.jsa").toString()), "a sandbox that does not show it");
        Path a = Files.writeString(dir.resolve("exec.jsa"), "x");
        assertEquals(List.of("-XX:SharedArchiveFile=" + a), ClassDataArchive.useFlags(a.toString()));
    }

    @Test
    void aFailedDumpSaysSoAndLeavesNoArchive(@TempDir Path dir) throws IOException {
        Path archive = dir.resolve("exec.jsa");
        IOException e = assertThrows(IOException.class,
                () -> ClassDataArchive.dump(List.of("-XX:+NoSuchFlagAnywhere"), jars(), Files.writeString(dir.resolve("l"), "java/lang/Object\n"), archive));
        assertTrue(e.getMessage().contains("kernels start without it"), e.getMessage());
        assertFalse(Files.exists(archive));
    }
}
