package org.threadlab.os;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Benchmarks of {@code org.threadlab.os}, run by {@code ./threadlab bench lib}: prints median, min
 * and max beside the goals of issue 4. Takes about 25 s.
 * <ul>
 *   <li>one snapshot ({@code ps()}) of this JVM holding 100 extra threads, in ms (goal: at most 5 ms),
 *       beside OSHI's thread details of the same process;</li>
 *   <li>sampling 50 threads at 100 Hz for 10 s: CPU of the sampling thread, in % of one core per
 *       1 s window (goal: at most 3 %).</li>
 * </ul>
 */
public final class OsBench {
    private OsBench() {}

    public static void main(String[] args) throws Exception {
        System.out.printf("os: load average %s (figures from a loaded machine are upper bounds)%n",
                Os.BACKEND instanceof ProcBackend p ? String.valueOf(p.proc.file("loadavg")).trim() : "unknown");
        if (!Os.LINUX) {
            System.out.println("os bench: the goals are for Linux (/proc); this is " + System.getProperty("os.name"));
        }
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> extra = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Thread t = new Thread(() -> {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // ends the thread
                }
            }, "bench-" + i);
            t.setDaemon(true);
            t.start();
            extra.add(t);
        }
        long t0 = System.nanoTime();
        int n = Os.threads().size();
        double cold = (System.nanoTime() - t0) / 1e6;
        System.out.printf("os: first snapshot of %d threads (cold: JMX start-up and class loading) %.1f ms%n", n, cold);

        // wall time is what a cell waits; CPU time is what it costs, and shows less of a loaded machine
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Double> snap = new ArrayList<>(), snapCpu = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long c = mx.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            Os.threads();
            if (i >= 50) {
                snap.add((System.nanoTime() - s) / 1e6);
                snapCpu.add((mx.getCurrentThreadCpuTime() - c) / 1e6);
            }
        }
        print("os: snapshot of " + n + " threads, ps(), wall", snap, "ms", "goal <= 5 ms");
        print("os: snapshot of " + n + " threads, ps(), CPU", snapCpu, "ms", "(of the calling thread)");

        try {
            long o0 = System.nanoTime();
            var proc = OshiBackend.info().getOperatingSystem().getProcess((int) Os.self());
            int details = proc.getThreadDetails().size();
            double oshiFirst = (System.nanoTime() - o0) / 1e6;
            List<Double> oshi = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                long s = System.nanoTime();
                OshiBackend.info().getOperatingSystem().getProcess((int) Os.self()).getThreadDetails();
                oshi.add((System.nanoTime() - s) / 1e6);
            }
            System.out.printf("os: OSHI getThreadDetails of %d threads: first %.1f ms%n", details, oshiFirst);
            print("os: OSHI getThreadDetails, again", oshi, "ms",
                    String.format("ps() is %.1fx faster (medians)", median(oshi) / median(snap)));
        } catch (RuntimeException | LinkageError e) {
            System.out.println("os: OSHI comparison skipped: " + e);
        }

        // sampling: 50 watched threads at 100 Hz; the other 50 are filtered out at first sight
        List<Double> windows = new ArrayList<>();
        int[] watched = new int[1];
        Samples samples = Os.watch(Os.self(), 10, t -> t.displayName().matches("bench-[0-4]?[0-9]"), () -> {
            Thread sampler = JavaThreads.liveThreads().values().stream()
                    .filter(t -> t.getName().equals("threadlab-sampler")).findFirst().orElseThrow();
            long prevCpu = mx.getThreadCpuTime(sampler.threadId()), prevAt = System.nanoTime();
            for (int s = 0; s < 10; s++) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                long cpu = mx.getThreadCpuTime(sampler.threadId()), at = System.nanoTime();
                windows.add(100.0 * (cpu - prevCpu) / (at - prevAt));
                prevCpu = cpu;
                prevAt = at;
            }
        });
        watched[0] = samples.byThread().size();
        System.out.printf("os: sampled %d threads, %d ticks in %.1f s (%.0f Hz)%n", watched[0], samples.ticks(),
                samples.durationNanos() / 1e9, samples.ticks() / (samples.durationNanos() / 1e9));
        print("os: sampling " + watched[0] + " threads at 100 Hz, per 1 s window", windows, "% of one core", "goal <= 3 %");
        System.out.printf("os: sampling, whole 10 s: %.2f %% of one core%n", 100.0 * samples.samplerCpuNanos() / samples.durationNanos());
        release.countDown();
        for (Thread t : extra) t.join();
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
    }

    static void print(String what, List<Double> v, String unit, String note) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        System.out.printf("%s: median %.2f %s (min %.2f, max %.2f, n=%d)  %s%n", what, median(s), unit, s.get(0), s.get(s.size() - 1), s.size(), note);
    }
}
