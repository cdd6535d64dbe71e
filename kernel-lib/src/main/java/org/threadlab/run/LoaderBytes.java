package org.threadlab.run;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bytes of a class that a loader defined from memory and offers no resource for. JShell's
 * remote agent and its stock local execution answer {@code getResourceAsStream} for a cell's
 * class; JJava's local loader does not: it keeps the bytes in a {@code Map<String, byte[]>} of its
 * own or of the object that made it. Reading that map is the only way to send such a cell's lambda
 * to a child JVM.
 */
final class LoaderBytes {
    private LoaderBytes() {}

    /** The bytes of {@code className} held by {@code loader} (or by its enclosing instance), or null. */
    static byte[] of(ClassLoader loader, String className) {
        List<Object> holders = new ArrayList<>();
        holders.add(loader);
        for (Object h : new ArrayList<>(holders)) {
            for (Class<?> c = h.getClass(); c != null && c != ClassLoader.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    // an inner loader class reaches its maker through the synthetic this$0
                    if (f.isSynthetic() && f.getName().startsWith("this$")) {
                        Object outer = read(f, h);
                        if (outer != null) holders.add(outer);
                    }
                }
            }
        }
        for (Object h : holders) {
            for (Class<?> c = h.getClass(); c != null && c != Object.class && c != ClassLoader.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || !Map.class.isAssignableFrom(f.getType())) continue;
                    if (read(f, h) instanceof Map<?, ?> m && m.get(className) instanceof byte[] bytes) return bytes;
                }
            }
        }
        return null;
    }

    private static Object read(Field f, Object target) {
        try {
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // a loader of a named module that is not open to us: nothing to read there
            return null;
        }
    }
}
