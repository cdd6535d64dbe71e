package org.threadlab.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.threadlab.kernel.ThreadLabKernel;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code %maven group:artifact:version...}: the artifacts and their runtime dependencies, for the
 * next cells. The installed Maven resolves them (so its own settings say where from: a mirror, a
 * proxy, the local repository); the kernel carries no resolver, which would cost every start-up
 * for a magic most lessons never use. The jars are copied to a cache folder per coordinate list,
 * so running the cell again is instant and works offline.
 *
 * <pre>{@code
 * %maven org.apache.commons:commons-lang3:3.17.0
 * org.apache.commons.lang3.StringUtils.capitalize("threads")   // Threads
 * }</pre>
 */
final class MavenMagic implements LineMagic<String, ThreadLabKernel> {
    private static final Pattern COORDINATE = Pattern.compile("[\\w.\\-]+:[\\w.\\-]+:[\\w.\\-]+");
    /** The same plugin version the project builds with, so a machine that built ThreadLab resolves offline. */
    private static final String PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies";
    private static final long TIMEOUT_MIN = 5;

    @Override
    public String eval(ThreadLabKernel kernel, List<String> args) throws IOException, InterruptedException {
        if (args.isEmpty()) throw new IllegalArgumentException("give one or more coordinates, e.g. %maven org.apache.commons:commons-lang3:3.17.0");
        for (String a : args) {
            if (!COORDINATE.matcher(a).matches()) {
                throw new IllegalArgumentException("'" + a + "' is not group:artifact:version (e.g. org.apache.commons:commons-lang3:3.17.0)");
            }
        }
        Path dir = cacheDir(args);
        if (!Files.isDirectory(dir.resolve("jars"))) resolve(args, dir);
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("jars"), "*.jar")) {
            ds.forEach(jars::add);
        }
        jars.sort(null);
        for (Path jar : jars) kernel.addToClasspath(jar.toString());
        return "Added to the class path: " + String.join(", ", jars.stream().map(p -> p.getFileName().toString()).toList());
    }

    private static Path cacheDir(List<String> coordinates) {
        String base = System.getProperty("threadlab.cacheHome", System.getenv("XDG_CACHE_HOME"));
        Path root = base != null && !base.isBlank() ? Path.of(base) : Path.of(System.getProperty("user.home"), ".cache");
        String key = HexFormat.of().formatHex(String.join(" ", coordinates).getBytes(StandardCharsets.UTF_8));
        if (key.length() > 80) key = Integer.toHexString(key.hashCode()) + key.substring(0, 60);
        return root.resolve("threadlab").resolve("maven").resolve(key);
    }

    private static void resolve(List<String> coordinates, Path dir) throws IOException, InterruptedException {
        String mvn = findMaven();
        Path work = Files.createTempDirectory("threadlab-maven-");
        try {
            StringBuilder deps = new StringBuilder();
            for (String c : coordinates) {
                String[] p = c.split(":");
                deps.append("<dependency><groupId>").append(p[0]).append("</groupId><artifactId>").append(p[1])
                        .append("</artifactId><version>").append(p[2]).append("</version></dependency>");
            }
            Files.writeString(work.resolve("pom.xml"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                    + "<groupId>threadlab.magic</groupId><artifactId>maven</artifactId><version>1</version>"
                    + "<dependencies>" + deps + "</dependencies></project>");
            Path staging = work.resolve("jars");
            Process p = new ProcessBuilder(mvn, "-q", "-B", PLUGIN, "-DoutputDirectory=" + staging, "-DincludeScope=runtime")
                    .directory(work.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_MIN, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("Maven took over " + TIMEOUT_MIN + " minutes to resolve " + String.join(" ", coordinates));
            }
            if (p.exitValue() != 0) {
                String log = new String(out, StandardCharsets.UTF_8).lines().filter(l -> l.contains("ERROR")).limit(6)
                        .reduce((a, b) -> a + "\n" + b).orElse("(no error lines; run mvn by hand in " + work + ")");
                throw new IllegalStateException("Maven could not resolve " + String.join(" ", coordinates)
                        + ": check the coordinates (and, offline, that they are in ~/.m2)\n" + log);
            }
            Files.createDirectories(dir);
            // move into place only when complete, so a failed or interrupted run leaves no half cache
            Files.move(staging, dir.resolve("jars"));
        } finally {
            deleteTree(work);
        }
    }

    private static String findMaven() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path mvn = Path.of(d, "mvn");
            if (Files.isExecutable(mvn)) return mvn.toString();
        }
        throw new IllegalStateException("%maven needs Maven (mvn) on the PATH: './threadlab notebook' installs it, "
                + "or install it with your package manager (apt-get install maven); or download the jar and use %classpath");
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder
        }
    }
}
