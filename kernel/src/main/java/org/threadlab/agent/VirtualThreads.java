package org.threadlab.agent;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the virtual threads a cell started. Virtual threads have no thread group of their own and
 * JDI does not list them, so the agent walks the JDK's thread containers (where the JDK tracks
 * every virtual thread for thread dumps) and reads each one's cell tag. This needs
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} and
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, which the kernel passes; without them the
 * list is empty and virtual threads are only reached through a restart.
 */
final class VirtualThreads {
    private static final Method ROOT;
    private static final Method THREADS;
    private static final Method CHILDREN;
    private static final Field CARRIER;

    static {
        Method root = null, threads = null, children = null;
        Field carrier = null;
        try {
            Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
            Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer");
            root = containers.getMethod("root");
            threads = container.getMethod("threads");
            children = container.getMethod("children");
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            carrier = vt.getDeclaredField("carrierThread");
            carrier.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            root = null;
        }
        ROOT = root;
        THREADS = threads;
        CHILDREN = children;
        CARRIER = carrier;
    }

    private VirtualThreads() {}

    /** Live virtual threads whose cell tag is {@code cell}. */
    static List<Thread> ofCell(int cell) {
        List<Thread> out = new ArrayList<>();
        if (ROOT == null) return out;
        try {
            collect(ROOT.invoke(null), cell, out, 0);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the JDK's internals changed: fall back to restarts for virtual threads
        }
        return out;
    }

    private static void collect(Object container, int cell, List<Thread> out, int depth) throws ReflectiveOperationException {
        if (depth > 32) return;
        try (Stream<?> threads = (Stream<?>) THREADS.invoke(container)) {
            threads.forEach(o -> {
                Thread t = (Thread) o;
                if (t.isVirtual() && t.isAlive() && Cells.of(t) == cell) out.add(t);
            });
        }
        List<?> kids;
        try (Stream<?> children = (Stream<?>) CHILDREN.invoke(container)) {
            kids = children.toList();
        }
        for (Object child : kids) collect(child, cell, out, depth + 1);
    }

    /** The platform thread a virtual thread is mounted on now, or null. */
    static Thread carrier(Thread virtual) {
        try {
            return CARRIER == null ? null : (Thread) CARRIER.get(virtual);
        } catch (IllegalAccessException e) {
            return null;
        }
    }
}
