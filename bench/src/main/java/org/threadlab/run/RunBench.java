package org.threadlab.run;

import org.threadlab.display.Table;
import org.threadlab.ipc.IpcMeasure;
import org.threadlab.ipc.Pipe;
import org.threadlab.ipc.RequestServer;
import org.threadlab.ipc.SharedCounter;
import org.threadlab.ipc.SharedMemory;
import org.threadlab.ipc.SocketQueue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@code ./threadlab bench lib}: medians and ratios for threads, processes, the process pool
 * and the IPC paths, beside the goals of the issue. Takes about 30-60 s.
 * {@code java ... org.threadlab.run.RunBench} (the launcher passes the class path).
 */
public final class RunBench {
    private RunBench() {}

    private static final int TASKS = 100;
    private static final int COUNT = 1_000_000;
    private static final int RUNS = 5;
    private static final int OVERHEAD_RUNS = 15;
    /** Maps before the young pool's timed ones. */
    private static final int YOUNG_MAPS = 20;
    /** Maps before the warm pool's timed ones. */
    private static final int WARM_MAPS = 300;

    /** A small Python multiprocessing.Pool timing: prints the median ns per task of map(f, range(n)). */
    private static final String PYTHON_POOL = String.join("\n",
            "import multiprocessing as mp, statistics, sys, time",
            "def f(x):",
            "    return x",
            "if __name__ == '__main__':",
            "    n, w, runs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])",
            "    with mp.Pool(w) as pool:",
            "        pool.map(f, range(100))",
            "        times = []",
            "        for _ in range(runs):",
            "            t = time.perf_counter()",
            "            assert pool.map(f, range(n)) == list(range(n))",
            "            times.append(time.perf_counter() - t)",
            "    print(statistics.median(times) / n * 1e9)");

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("noop")) return; // the JVM whose start+exit is timed
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> work = Collections.nCopies(TASKS, COUNT);
        System.out.println("Threads, processes and IPC (org.threadlab.run, .ipc): medians of " + RUNS + " runs, "
                + cores + " cores, load average " + loadAverage());
        System.out.println();

        // warm the JIT so the one-thread baseline is compiled code too
        for (int i = 0; i < 20; i++) Tasks.countTo(COUNT);
        double one = median(() -> work.forEach(n -> Tasks.countTo(n)));
        double threads;
        try (ThreadPool pool = new ThreadPool(cores)) {
            for (int i = 0; i < 2; i++) pool.map(work, n -> Tasks.countTo(n));
            threads = median(() -> pool.map(work, n -> Tasks.countTo(n)));
        }
        double processes;
        double startWorkers;
        try (ProcessPool pool = new ProcessPool(cores)) {
            pool.map(work, Tasks.countTo()); // warms the workers' JIT; its report holds the start time
            startWorkers = nanosToMs(poolStart(pool));
            pool.map(work, Tasks.countTo());
            processes = median(() -> pool.map(work, Tasks.countTo()));
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("one thread", one, "", ""));
        rows.add(row(cores + " threads (thread pool map)", threads, ratio(one / threads),
                String.format(Locale.ROOT, ">= %.2fx (0.95 x cores)", 0.95 * cores)));
        rows.add(row(cores + " worker JVMs (process pool map)", processes, ratio(one / processes), "faster than one thread"));
        System.out.println(Table.of(List.of("seeds' workload: " + TASKS + " tasks, count to " + COUNT, "median ms", "speed-up", "goal"), rows));
        System.out.printf(Locale.ROOT, "starting %d worker JVMs took %.0f ms (not in the map times above)%n%n", cores, startWorkers);

        double threadStart = medianOf(200, () -> {
            Thread t = new Thread(() -> { });
            t.start();
            join(t);
        });
        double virtualStart = medianOf(200, () -> join(Thread.ofVirtual().start(() -> { })));
        double trueStart = medianOf(RUNS, () -> Commands.run(List.of("/bin/true"), Duration.ofSeconds(30)));
        List<String> jvm = Jvm.command(RunBench.class.getName(), "noop");
        double jvmStart = medianOf(RUNS, () -> Commands.run(jvm, Duration.ofSeconds(60)));
        double forkStart = medianOf(RUNS, () -> ChildJvm.fork(() -> 1).get(Duration.ofSeconds(60)));
        List<List<String>> starts = new ArrayList<>();
        starts.add(row("platform thread start+join", threadStart, "1x", ""));
        starts.add(row("virtual thread start+join", virtualStart, ratio(virtualStart / threadStart), ""));
        starts.add(row("process /bin/true start+wait", trueStart, ratio(trueStart / threadStart), ""));
        starts.add(row("JVM (empty main) start+wait", jvmStart, ratio(jvmStart / threadStart), ""));
        starts.add(row("fork(() -> 1).get(): JVM + task + result", forkStart, ratio(forkStart / threadStart), ""));
        System.out.println(Table.of(List.of("start and end one", "median ms", "x thread", ""), starts));

        int n = 2000;
        // A young pool's maps run in code the JIT has not compiled yet (Python's pickling is C from
        // the start); after a few hundred maps they run compiled. Both are shown: the young figure
        // is what a notebook's first maps cost, the warm one the pool's own overhead.
        double youngPerTask;
        double warmPerTask;
        try (ProcessPool pool = new ProcessPool(cores)) {
            List<Integer> inputs = IntStream.range(0, n).boxed().toList();
            SerializableFunction<Integer, Integer> identity = x -> x;
            Runnable map = () -> {
                if (!pool.map(inputs, identity).equals(inputs)) throw new IllegalStateException("pool map lost order");
            };
            for (int i = 0; i < YOUNG_MAPS; i++) map.run();
            youngPerTask = medianOf(OVERHEAD_RUNS, map) * 1e6 / n;
            for (int i = YOUNG_MAPS + OVERHEAD_RUNS; i < WARM_MAPS; i++) map.run();
            warmPerTask = medianOf(OVERHEAD_RUNS, map) * 1e6 / n;
        }
        Double pythonPerTask = python(n, cores);
        List<List<String>> overhead = new ArrayList<>();
        overhead.add(overheadRow("ThreadLab, young pool (maps " + (YOUNG_MAPS + 1) + "-" + (YOUNG_MAPS + OVERHEAD_RUNS) + ")",
                youngPerTask, pythonPerTask, "(JIT still warming up)"));
        overhead.add(overheadRow("ThreadLab, warm pool (maps " + (WARM_MAPS + 1) + "-" + (WARM_MAPS + OVERHEAD_RUNS) + ")",
                warmPerTask, pythonPerTask, "not slower than Python (>= 1x)"));
        overhead.add(List.of("Python multiprocessing.Pool.map", pythonPerTask == null ? "python3 not found"
                : String.format(Locale.ROOT, "%.2f", pythonPerTask / 1e3), "", ""));
        System.out.println(Table.of(List.of("pool overhead: map(identity) of " + n + " ints, " + cores + " workers",
                "µs per task", "Python/ThreadLab", "goal"), overhead));

        int messages = 10_000;
        System.out.println(IpcMeasure.table(List.of(Pipe.measure(messages), SocketQueue.measure(messages),
                SharedMemory.measure(messages), SharedCounter.measure(messages, 2), RequestServer.measure(messages)))
                .titled("IPC: " + messages + " messages each, checked for loss and order"));
    }

    private static long poolStart(ProcessPool pool) {
        PoolReport r = pool.report();
        return r == null ? 0 : r.startNanos();
    }

    private static Double python(int n, int workers) {
        Path script = null;
        try {
            script = Files.createTempFile("threadlab-pool-", ".py");
            Files.writeString(script, PYTHON_POOL, StandardCharsets.UTF_8);
            CommandResult r = Commands.run(List.of("python3", script.toString(), Integer.toString(n), Integer.toString(workers),
                    Integer.toString(OVERHEAD_RUNS)), Duration.ofSeconds(60));
            if (!r.ok()) {
                System.out.println("python3 failed: " + r.stderr().strip());
                return null;
            }
            return Double.parseDouble(r.stdout().strip());
        } catch (IllegalArgumentException e) {
            return null; // no python3
        } catch (IOException | RuntimeException e) {
            System.out.println("python3 comparison skipped: " + e.getMessage());
            return null;
        } finally {
            if (script != null) {
                try {
                    Files.deleteIfExists(script);
                } catch (IOException ignored) {
                    // temp file
                }
            }
        }
    }

    private static List<String> overheadRow(String what, double nanosPerTask, Double pythonNanosPerTask, String goal) {
        return List.of(what, String.format(Locale.ROOT, "%.2f", nanosPerTask / 1e3),
                pythonNanosPerTask == null ? "-" : ratio(pythonNanosPerTask / nanosPerTask), goal);
    }

    private static List<String> row(String what, double ms, String ratio, String goal) {
        return List.of(what, ms < 1 ? String.format(Locale.ROOT, "%.3f", ms) : String.format(Locale.ROOT, "%.1f", ms), ratio, goal);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2fx", r);
    }

    private static double nanosToMs(long nanos) {
        return nanos / 1e6;
    }

    private static double median(Runnable r) {
        return medianOf(RUNS, r);
    }

    /** Median wall time of {@code runs} runs, in ms. */
    private static double medianOf(int runs, Runnable r) {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
