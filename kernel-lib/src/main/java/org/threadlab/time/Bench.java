package org.threadlab.time;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Repeats a block to time it fairly: warm-up runs first (the JIT compiles hot code during them),
 * then measured runs summarised as {@link Stats}; or several variants in one {@link Comparison}.
 *
 * <pre>{@code
 * Stats s = Bench.bench(() -> Work.count(1_000_000));
 * Comparison c = Bench.compare(Variant.of("sequential", () -> a()), Variant.of("parallel", () -> b()));
 * }</pre>
 */
public final class Bench {
    private Bench() {}

    /** Keeps results alive so the JIT cannot drop work whose result nobody reads. */
    private static volatile Object sink;

    /**
     * Times {@code block} with a number of runs picked from its first run: for fast blocks 3
     * warm-up runs and about a second of measuring (5 to 20 runs), 1 warm-up and 5 runs up to a
     * second, and 3 runs in all (the first one included) for blocks slower than that.
     */
    public static Stats bench(Callable<?> block) {
        double first = runMs(block);
        if (first >= 1000) {
            // a second or more: compiling is a small part of it, so the first run counts
            double[] ms = {first, runMs(block), runMs(block)};
            return new Stats(null, 0, ms);
        }
        int warmup = first < 50 ? 3 : 1;
        int runs = first < 50 ? (int) Math.max(5, Math.min(20, 1000 / Math.max(first, 1))) : 5;
        for (int i = 1; i < warmup; i++) runMs(block);
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) ms[i] = runMs(block);
        return new Stats(null, warmup, ms);
    }

    /** {@link #bench(Callable)} for a block without result. */
    public static Stats bench(Block block) {
        return bench(callable(block));
    }

    /** Times {@code runs} runs of {@code block} after {@code warmup} unmeasured ones. */
    public static Stats bench(int warmup, int runs, Callable<?> block) {
        if (warmup < 0 || runs < 1) {
            throw new IllegalArgumentException("bench(warmup, runs, ...) needs warmup >= 0 and runs >= 1, got "
                    + warmup + " and " + runs);
        }
        for (int i = 0; i < warmup; i++) runMs(block);
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) ms[i] = runMs(block);
        return new Stats(null, warmup, ms);
    }

    /** {@link #bench(int, int, Callable)} for a block without result. */
    public static Stats bench(int warmup, int runs, Block block) {
        return bench(warmup, runs, callable(block));
    }

    /**
     * Times every variant the same way ({@code warmup} + {@code runs} each, interleaved round by
     * round so a slow moment of the machine hurts all variants alike) and compares them against
     * the first.
     */
    public static Comparison compare(int warmup, int runs, Variant... variants) {
        if (variants.length == 0) {
            throw new IllegalArgumentException("compare(...) needs variants: compare(variant(\"a\", () -> ...), variant(\"b\", () -> ...))");
        }
        if (warmup < 0 || runs < 1) {
            throw new IllegalArgumentException("compare(warmup, runs, ...) needs warmup >= 0 and runs >= 1, got "
                    + warmup + " and " + runs);
        }
        Set<String> names = new HashSet<>();
        for (Variant v : variants) {
            if (!names.add(v.name())) {
                throw new IllegalArgumentException("two variants are named \"" + v.name() + "\": give each a different name");
            }
        }
        for (int i = 0; i < warmup; i++) for (Variant v : variants) runMs(v.work());
        double[][] ms = new double[variants.length][runs];
        for (int r = 0; r < runs; r++) {
            for (int k = 0; k < variants.length; k++) ms[k][r] = runMs(variants[k].work());
        }
        List<Stats> stats = new ArrayList<>();
        for (int k = 0; k < variants.length; k++) stats.add(new Stats(variants[k].name(), warmup, ms[k]));
        return new Comparison(stats);
    }

    /** {@link #compare(int, int, Variant...)} with 1 warm-up and 5 measured runs per variant. */
    public static Comparison compare(Variant... variants) {
        return compare(1, 5, variants);
    }

    private static double runMs(Callable<?> block) {
        long t0 = System.nanoTime();
        try {
            sink = block.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException("the benchmarked block threw " + e, e);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    static Callable<Object> callable(Block block) {
        return () -> {
            block.run();
            return null;
        };
    }
}
