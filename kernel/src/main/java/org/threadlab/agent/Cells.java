package org.threadlab.agent;

/**
 * Which notebook cell a thread works for. A cell's code runs in a thread of the group
 * {@code cell-N}; the number is also an inheritable thread-local, so platform threads, virtual
 * threads and pool workers created while the cell runs carry it and their output goes to cell N.
 */
public final class Cells {
    private static final InheritableThreadLocal<Integer> CELL = new InheritableThreadLocal<>();
    /** The cell that ran last; output from threads with no cell (pool threads of the JDK) goes here. */
    static volatile int lastCell = 0;

    private Cells() {}

    /** The cell of the calling thread, or the last cell run when the thread belongs to none. */
    public static int current() {
        Integer n = CELL.get();
        return n != null ? n : lastCell;
    }

    static void enter(int cell) {
        CELL.set(cell);
    }

    /** The name of the thread group a cell's threads start in. */
    public static String groupName(int cell) {
        return "cell-" + cell;
    }
}
