package org.threadlab.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.threadlab.kernel.ThreadLabKernel;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code %%time}: runs the cell and prints its wall time and the CPU time the execution JVM used
 * meanwhile (all its threads, user + system: more than the wall time means threads ran in parallel).
 */
final class TimeMagic implements CellMagic<ThreadLabKernel.CellResult, ThreadLabKernel> {
    @Override
    public ThreadLabKernel.CellResult eval(ThreadLabKernel kernel, List<String> args, String body) {
        ProcessHandle jvm = ProcessHandle.of(kernel.executionPid()).orElseThrow();
        Duration cpu0 = jvm.info().totalCpuDuration().orElse(Duration.ZERO);
        long t0 = System.nanoTime();
        ThreadLabKernel.CellResult r = kernel.runBody(body);
        long wallNs = System.nanoTime() - t0;
        Duration cpu1 = jvm.info().totalCpuDuration().orElse(cpu0);
        double cpuMs = cpu1.minus(cpu0).toNanos() / 1e6;
        double wallMs = wallNs / 1e6;
        kernel.print(String.format(Locale.ROOT, "Wall time: %s, CPU time: %s (%.1f cores busy on average)",
                human(wallMs), human(cpuMs), wallMs > 0 ? cpuMs / wallMs : 0));
        return r;
    }

    static String human(double ms) {
        if (ms >= 1000) return String.format(Locale.ROOT, "%.2f s", ms / 1000);
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
