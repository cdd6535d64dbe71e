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

    private static final java.lang.reflect.Method GET_MAP;
    private static final java.lang.reflect.Method GET_ENTRY;
    private static final java.lang.reflect.Field VALUE;

    static {
        java.lang.reflect.Method getMap = null, getEntry = null;
        java.lang.reflect.Field value = null;
        try {
            // reading another thread's inheritable thread-local needs java.lang opened to this agent
            getMap = InheritableThreadLocal.class.getDeclaredMethod("getMap", Thread.class);
            getMap.setAccessible(true);
            Class<?> map = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
            getEntry = map.getDeclaredMethod("getEntry", ThreadLocal.class);
            getEntry.setAccessible(true);
            value = Class.forName("java.lang.ThreadLocal$ThreadLocalMap$Entry").getDeclaredField("value");
            value.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            getMap = null;
        }
        GET_MAP = getMap;
        GET_ENTRY = getEntry;
        VALUE = value;
    }

    /** The cell of another thread, or -2 when unknown. */
    static int of(Thread t) {
        if (GET_MAP == null) return -2;
        try {
            Object map = GET_MAP.invoke(CELL, t);
            if (map == null) return -2;
            Object entry = GET_ENTRY.invoke(map, CELL);
            if (entry == null) return -2;
            Object v = VALUE.get(entry);
            return v instanceof Integer n ? n : -2;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -2;
        }
    }

    static void enter(int cell) {
        CELL.set(cell);
    }

    /** The name of the thread group a cell's threads start in. */
    public static String groupName(int cell) {
        return "cell-" + cell;
    }
}
