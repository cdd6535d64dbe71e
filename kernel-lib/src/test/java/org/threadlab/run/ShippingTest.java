package org.threadlab.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class ShippingTest {

    /**
     * A notebook cell's class exists only in the parent's memory (JShell's loader), in package
     * REPL, with the cell's variables as static fields. Here a class compiled into a folder that is
     * not on the child's class path plays that part.
     */
    @Test
    void aClassUnknownToTheChildIsShippedWithItsVariables(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/REPL/Cell1.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package REPL;
                public class Cell1 implements org.threadlab.run.SerializableCallable<Integer> {
                    public static int base;
                    public Integer call() { return base * 6; }
                }
                """);
        Path out = dir.resolve("out");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK");
        assertEquals(0, javac.run(null, null, null, "-d", out.toString(), "-cp", System.getProperty("java.class.path")
                + java.io.File.pathSeparator + ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().getPath(),
                src.toString()));
        try (URLClassLoader cells = new URLClassLoader(new URL[] {out.toUri().toURL()}, ShippingTest.class.getClassLoader())) {
            Class<?> cell = cells.loadClass("REPL.Cell1");
            cell.getField("base").setInt(null, 7);
            @SuppressWarnings("unchecked")
            SerializableCallable<Integer> task = (SerializableCallable<Integer>) cell.getConstructor().newInstance();
            assertEquals(42, ChildJvm.fork(task).get(Duration.ofSeconds(60)));
        }
    }

    /**
     * A pool worker fetches a cell's classes in the middle of a map, while further chunks wait in
     * its stdin: on its main thread (class Twice, first used inside apply) and on a thread the
     * function starts while the main thread waits for it (class Thrice).
     */
    @Test
    void poolWorkersFetchCellClassesMidMapAlsoFromAThreadOfTheTask(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/REPL");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Twice.java"), "package REPL; public class Twice { public static int of(int x) { return 2 * x; } }");
        Files.writeString(src.resolve("Thrice.java"), "package REPL; public class Thrice { public static int of(int x) { return 3 * x; } }");
        Files.writeString(src.resolve("Cell2.java"), """
                package REPL;
                public class Cell2 implements org.threadlab.run.SerializableFunction<Integer, Integer> {
                    public Integer apply(Integer x) {
                        if (x % 2 == 0) return Twice.of(x);
                        int[] r = new int[1];
                        Thread t = new Thread(() -> r[0] = Thrice.of(x));
                        t.start();
                        try {
                            t.join();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        return r[0];
                    }
                }
                """);
        Path out = compile(dir, src.resolve("Twice.java"), src.resolve("Thrice.java"), src.resolve("Cell2.java"));
        List<Integer> inputs = java.util.stream.IntStream.range(0, 40).boxed().toList();
        try (URLClassLoader cells = new URLClassLoader(new URL[] {out.toUri().toURL()}, ShippingTest.class.getClassLoader());
             ProcessPool pool = new ProcessPool(2)) {
            @SuppressWarnings("unchecked")
            SerializableFunction<Integer, Integer> fn = (SerializableFunction<Integer, Integer>) cells.loadClass("REPL.Cell2")
                    .getConstructor().newInstance();
            List<Integer> expected = inputs.stream().map(x -> x % 2 == 0 ? 2 * x : 3 * x).toList();
            assertEquals(expected, pool.map(inputs, fn, 1, Duration.ofSeconds(60)));
            assertEquals(expected, pool.map(inputs, fn, 3, Duration.ofSeconds(60)));
        }
    }

    private static Path compile(Path dir, Path... sources) {
        Path out = dir.resolve("out");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK");
        List<String> args = new java.util.ArrayList<>(List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path")
                + java.io.File.pathSeparator + ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().getPath()));
        for (Path p : sources) args.add(p.toString());
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)));
        return out;
    }

    @Test
    void aPoolThatIsDroppedWithoutCloseTakesItsWorkersWithIt() throws Exception {
        List<Long> pids = startAndDrop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pids.stream().anyMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
                && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        for (long p : pids) assertFalse(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false), "worker " + p + " left behind");
    }

    private static List<Long> startAndDrop() {
        return new ProcessPool(1).pids();
    }

    @Test
    void workersDieWithTheJvmThatStartedThem() throws Exception {
        // the middle JVM starts a pool and halts without closing it (no shutdown hook runs on halt)
        ChildJvm<List<Long>> middle = ChildJvm.fork(() -> new ProcessPool(1).pids());
        long worker = middle.get(Duration.ofSeconds(60)).get(0);
        ProcessHandle h = ProcessHandle.of(worker).orElse(null);
        if (h != null) h.onExit().get(30, TimeUnit.SECONDS);
        assertFalse(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false), "worker " + worker + " outlived its parent");
    }
}
