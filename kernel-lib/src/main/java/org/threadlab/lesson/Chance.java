package org.threadlab.lesson;

import java.util.Locale;

/**
 * "How often does chance find it here?": runs a real-thread trial {@code runs} times and counts
 * the runs in which the bug showed (a lost update, a lost wake-up, a deadlock). Whether it shows
 * depends on this machine's cores and load at this moment, so the sentence it prints is computed
 * from the count, with the run count, never assumed. A progress bar shows while it runs.
 *
 * <pre>{@code
 * Chance c = Chance.count("an update was lost", 20, () -> race(2, 50).lost() > 0);
 * // an update was lost: in 7 of 20 runs (35 %) on this machine, now
 * c.hits();   // 7
 * }</pre>
 *
 * @param what  what the trial looks for, as the start of a sentence
 * @param runs  how many trials ran (fewer than asked when interrupted)
 * @param hits  in how many the bug showed
 * @param seconds the wall time of all trials
 */
public record Chance(String what, int runs, int hits, double seconds) {

    /** One real-thread trial: true when the bug showed in this run. */
    @FunctionalInterface
    public interface Trial {
        boolean showed() throws Exception;
    }

    /** Runs {@code trial} {@code runs} times (with a progress bar) and prints the count as a sentence. */
    public static Chance count(String what, int runs, Trial trial) throws Exception {
        if (runs < 1) throw new IllegalArgumentException("runs must be at least 1, not " + runs);
        int hits = 0, done = 0;
        long start = System.nanoTime();
        try (var p = org.threadlab.time.Progress.start(what, runs)) {
            for (int i = 0; i < runs && !Thread.currentThread().isInterrupted(); i++) {
                if (trial.showed()) hits++;
                done++;
                p.step();
            }
        }
        Chance c = new Chance(what, done, hits, (System.nanoTime() - start) / 1e9);
        System.out.println(c.sentence());
        return c;
    }

    /** hits / runs, 0 to 1. */
    public double share() {
        return runs == 0 ? 0 : (double) hits / runs;
    }

    /** "never", "every time" or "sometimes", from the count. */
    public String verdict() {
        return hits == 0 ? "never" : hits == runs ? "every time" : "sometimes";
    }

    /** The sentence {@link #count} prints. */
    public String sentence() {
        String how = switch (verdict()) {
            case "never" -> "chance did not find it here: 0 runs of " + runs + " (which proves nothing about the next run)";
            case "every time" -> "every run of " + runs;
            default -> "sometimes";
        };
        double pct = 100 * share();
        String shown = String.format(Locale.ROOT, pct > 0 && pct < 1 ? "%.1f" : "%.0f", pct);   // 1 of 1,000 is 0.1 %, not 0 %
        return String.format(Locale.ROOT, "%s: in %,d of %,d runs (%s %%) on this machine, now: %s. (%.1f s)",
                what, hits, runs, shown, how, seconds);
    }

    @Override
    public String toString() {
        return sentence();
    }
}
