package org.threadlab.display;

/**
 * One stretch of time during which a thread did one thing: the unit of an activity timeline.
 * The OS watcher makes them from its samples (category: the thread's state, or the CPU it ran
 * on); the thread and process runners make them from their own records of when each task ran.
 *
 * <pre>{@code
 * var a = new Activity("pid 4242", "worker-1", 0, 5_000_000, "R");   // 5 ms running
 * a.durationNanos();   // 5000000
 * }</pre>
 *
 * @param group       the row's group, usually the process ("pid 4242", "python3")
 * @param row         the row, usually the thread's name
 * @param startNanos  start, in nanoseconds from the start of the recording
 * @param endNanos    end, in nanoseconds from the start of the recording (not before start)
 * @param category    what the thread was doing, which picks the colour ("R", "S", "cpu 1", "task 7")
 */
public record Activity(String group, String row, long startNanos, long endNanos, String category) {
    public Activity {
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("activity of " + row + " ends (" + endNanos + " ns) before it starts (" + startNanos + " ns)");
        }
    }

    /** Length of the stretch, in nanoseconds. */
    public long durationNanos() {
        return endNanos - startNanos;
    }
}
