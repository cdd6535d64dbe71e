package org.threadlab.agent;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * Gives the C heap's free pages back to the OS once the execution JVM has been idle a while: glibc's
 * {@code malloc_trim(0)}, called through the JDK's foreign function API.
 * <p>
 * Why: the JVM's own compilers and class loading free most of what they malloc, but glibc keeps the
 * freed pages, so after a lesson an idle execution JVM held 6-8 MB of free C heap (its PSS fell from
 * 65 to 59 MB when trimmed, the API's own classes included). On a class server that is every
 * student's JVM. HotSpot can trim by itself ({@code -XX:TrimNativeHeapInterval}), but with a thread of
 * its own that every {@code ps()} of the lectures would show; this runs on the watchdog's thread.
 * <p>
 * JDK 22 and later (the API is final there), on Linux with glibc; elsewhere nothing is trimmed.
 * This class is compiled for JDK 21, where the API is a preview, hence the reflection.
 */
final class NativeHeap {
    /** How long no cell may have started or ended before the heap is trimmed, in ms (a system property, for tests). */
    static final long TRIM_AFTER_MS = Long.getLong("threadlab.trimAfterMs", 10_000);

    private static volatile long lastActivity = System.nanoTime();
    private static volatile boolean inCell;
    private static long trimmedFor = Long.MIN_VALUE;

    private NativeHeap() {}

    static void cellStarted() {
        inCell = true;
        lastActivity = System.nanoTime();
    }

    static void cellEnded() {
        inCell = false;
        lastActivity = System.nanoTime();
    }

    /**
     * Called on every watchdog tick: trims once per quiet spell, when no cell runs and none has
     * started or ended for {@link #TRIM_AFTER_MS}. The JVM's start counts as activity, so a kernel
     * nobody uses is trimmed once too.
     */
    static void tick() {
        long last = lastActivity;
        if (inCell || last == trimmedFor || System.nanoTime() - last < TRIM_AFTER_MS * 1_000_000) return;
        trimmedFor = last;
        trim();
    }

    /** Calls {@code malloc_trim(0)} where there is one. */
    static void trim() {
        if (Glibc.MALLOC_TRIM == null) return;
        try {
            int ignored = (int) Glibc.MALLOC_TRIM.invoke(0L);
        } catch (Throwable e) {
            // nothing given back this time; the JVM runs on as before
        }
    }

    /**
     * Looked up at the first trim, not at the JVM's start: the foreign function API's classes and
     * generated code cost the JVM about 6 MB and some CPU, which a start should not pay (measured:
     * the execution JVM's PSS before a lesson 61 MB with an eager look-up, 55 MB without).
     */
    private static final class Glibc {
        static final MethodHandle MALLOC_TRIM = find();
    }

    private static MethodHandle find() {
        if (Runtime.version().feature() < 22 || !System.getProperty("os.name", "").startsWith("Linux")) return null;
        try {
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
            Optional<?> symbol = (Optional<?>) Class.forName("java.lang.foreign.SymbolLookup")
                    .getMethod("find", String.class).invoke(lookup, "malloc_trim");
            if (symbol.isEmpty()) return null;  // not glibc: musl, for one, has no malloc_trim
            Class<?> layout = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
            Object sizeT = valueLayout.getField("JAVA_LONG").get(null);   // size_t on 64-bit Linux
            Object returnsInt = valueLayout.getField("JAVA_INT").get(null);
            Object params = Array.newInstance(layout, 1);
            Array.set(params, 0, sizeT);
            Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
            Object descriptor = descriptorType.getMethod("of", layout, params.getClass()).invoke(null, returnsInt, params);
            Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
            return (MethodHandle) linkerType.getMethod("downcallHandle", Class.forName("java.lang.foreign.MemorySegment"),
                    descriptorType, option.arrayType()).invoke(linker, symbol.get(), descriptor, Array.newInstance(option, 0));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
