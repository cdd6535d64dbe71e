package org.threadlab.interleave;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the engine JVM finds Lincheck. Lincheck and what it needs (Kotlin, ASM, byte-buddy: ~14 MB)
 * run only in the engine JVM, so the kernel ships them in {@code lib/engine/} beside the helper
 * library's jar, off the kernel's and the execution JVM's class paths. Where Lincheck is on the class
 * path already (tests, {@code ./threadlab bench interleave}), nothing is added.
 */
final class EngineJars {
    static final String LINCHECK_CLASS = "org/jetbrains/lincheck/Lincheck.class";

    private EngineJars() {}

    /** The jars to add to the engine JVM's class path; throws with what to do when Lincheck is nowhere. */
    static List<String> find() {
        if (ClassLoader.getSystemClassLoader().getResource(LINCHECK_CLASS) != null) return List.of();
        Path dir = engineDir();
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                List<String> jars = s.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted().toList();
                if (!jars.isEmpty()) return jars;
            } catch (IOException e) {
                // fall through to the message below
            }
        }
        throw new IllegalStateException("Lincheck is not on the class path and there is no " + (dir == null ? "engine/ folder" : dir)
                + " with its jars; reinstall the kernel (./threadlab install-kernel), or start the JVM with Lincheck"
                + " (org.jetbrains.lincheck:lincheck and its dependencies) on its class path");
    }

    /** {@code engine/} beside the jar this library was loaded from, or null for a class folder. */
    static Path engineDir() {
        try {
            var src = EngineJars.class.getProtectionDomain().getCodeSource();
            if (src == null) return null;
            Path own = Path.of(src.getLocation().toURI());
            return Files.isRegularFile(own) ? own.resolveSibling("engine") : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
