package org.threadlab.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.threadlab.kernel.ThreadLabKernel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code %classpath PATH...} (alias {@code %jars}): jars or class folders for the next cells; {@code *} globs jar names. */
final class ClasspathMagic implements LineMagic<String, ThreadLabKernel> {
    @Override
    public String eval(ThreadLabKernel kernel, List<String> args) throws IOException {
        if (args.isEmpty()) throw new IllegalArgumentException("give one or more jars or folders, e.g. %classpath lib/*.jar");
        List<String> added = new ArrayList<>();
        for (String arg : args) {
            for (String piece : arg.split(java.io.File.pathSeparator)) {
                for (Path p : expand(piece)) {
                    kernel.addToClasspath(p.toAbsolutePath().toString());
                    added.add(p.toString());
                }
            }
        }
        return "Added to the class path: " + String.join(", ", added);
    }

    private static List<Path> expand(String piece) throws IOException {
        Path p = Path.of(piece.startsWith("~/") ? System.getProperty("user.home") + piece.substring(1) : piece);
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        List<Path> out = new ArrayList<>();
        if (name.contains("*") || name.contains("?")) {
            Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, name)) {
                ds.forEach(out::add);
            }
            if (out.isEmpty()) throw new IllegalArgumentException("no file matches " + piece);
            out.sort(null);
        } else {
            if (!Files.exists(p)) throw new IllegalArgumentException(p.toAbsolutePath() + " does not exist");
            out.add(p);
        }
        return out;
    }
}
