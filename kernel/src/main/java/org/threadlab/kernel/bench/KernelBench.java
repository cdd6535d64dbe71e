package org.threadlab.kernel.bench;

import org.threadlab.kernel.KernelConfig;
import org.threadlab.kernel.ThreadLabKernel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * In-process figures of the kernel for {@code ./threadlab bench kernel}: how long an interrupt takes
 * to end each kind of stuck cell (from the interrupt to the cell's reply), and what routing each
 * thread's output to its own cell costs on a cell printing 100,000 lines (against routing off).
 * Prints medians and spreads; it asserts nothing.
 */
public final class KernelBench {
    private KernelBench() {}

    static final Map<String, String> STUCK = new LinkedHashMap<>();

    static {
        STUCK.put("busy loop in the cell", "while (true) {}");
        STUCK.put("busy loops in 3 threads", "for (int i = 0; i < 3; i++) new Thread(() -> { while (true) {} }).start(); Thread.sleep(60_000);");
        STUCK.put("busy virtual threads", "for (int i = 0; i < 2; i++) Thread.ofVirtual().start(() -> { while (true) {} }); Thread.sleep(60_000);");
        STUCK.put("sleeping", "Thread.sleep(60_000);");
        STUCK.put("loop swallowing interrupts", "while (true) { try { Thread.sleep(50); } catch (InterruptedException e) {} }");
        STUCK.put("ReentrantLock deadlock", "var a = new ReentrantLock(); var b = new ReentrantLock(); "
                + "Thread t1 = new Thread(() -> { a.lock(); try { Thread.sleep(100); } catch (Exception e) {} b.lock(); }); "
                + "Thread t2 = new Thread(() -> { b.lock(); try { Thread.sleep(100); } catch (Exception e) {} a.lock(); }); t1.start(); t2.start(); t1.join();");
        STUCK.put("synchronized deadlock (restart)", "Object a = new Object(), b = new Object(); "
                + "Thread t1 = new Thread(() -> { synchronized (a) { try { Thread.sleep(100); } catch (Exception e) {} synchronized (b) {} } }); "
                + "Thread t2 = new Thread(() -> { synchronized (b) { try { Thread.sleep(100); } catch (Exception e) {} synchronized (a) {} } }); t1.start(); t2.start(); t1.join();");
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.println("Interrupt latency: from the interrupt request to the cell's reply (" + runs + " runs each)");
        ThreadLabKernel kernel = ThreadLabKernel.builder().config(KernelConfig.defaults()).build();
        kernel.start();
        kernel.execute("int x = 1;");
        System.out.printf(Locale.ROOT, "%-34s %10s %10s %10s%n", "stuck cell", "median ms", "min ms", "max ms");
        for (var e : STUCK.entrySet()) {
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) ms[i] = interruptLatency(kernel, e.getValue());
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "%-34s %10.0f %10.0f %10.0f%n", e.getKey(), ms[runs / 2], ms[0], ms[runs - 1]);
        }
        kernel.onShutdown(false);

        System.out.println();
        System.out.println("Output routing: a cell printing 100,000 lines, wall time (" + runs + " runs each)");
        double[] on = printCost("on", runs);
        double[] off = printCost("off", runs);
        double[] ratio = new double[runs];
        for (int i = 0; i < runs; i++) ratio[i] = on[i] / off[i];
        Arrays.sort(on);
        Arrays.sort(off);
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "routing on:  median %.0f ms (min %.0f, max %.0f)%n", on[runs / 2], on[0], on[runs - 1]);
        System.out.printf(Locale.ROOT, "routing off: median %.0f ms (min %.0f, max %.0f)%n", off[runs / 2], off[0], off[runs - 1]);
        System.out.printf(Locale.ROOT, "ratio on/off: median %.2f (min %.2f, max %.2f); goal <= 1.2%n", ratio[runs / 2], ratio[0], ratio[runs - 1]);
        System.exit(0);
    }

    private static double interruptLatency(ThreadLabKernel kernel, String code) throws Exception {
        long[] interruptedAt = new long[1];
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            interruptedAt[0] = System.nanoTime();
            kernel.interrupt();
        });
        interrupter.start();
        kernel.execute(code);
        long done = System.nanoTime();
        interrupter.join();
        return (done - interruptedAt[0]) / 1e6;
    }

    /** Wall times of the printing cell, measured pairwise-fairly: each kernel runs its cells alone. */
    private static double[] printCost(String routing, int runs) {
        KernelConfig config = KernelConfig.defaults().withExecutionFlag("-Dthreadlab.routing=" + routing);
        ThreadLabKernel kernel = ThreadLabKernel.builder().config(config).build();
        kernel.start();
        String cell = "for (int i = 0; i < 100_000; i++) System.out.println(\"line \" + i);";
        kernel.execute(cell); // warm-up: JIT and buffers
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            kernel.execute(cell);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        kernel.onShutdown(false);
        return ms;
    }
}
