package org.threadlab.grading;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A copy of a submission's class, next to it, in which every use of one JDK class names a subclass
 * of ours instead: {@code new ReentrantLock()} in the copy makes a {@link LockStep.SteppedLock},
 * whose {@code tryLock} a test can hold back until the other thread tries too. Everything else in
 * the copy is the student's code, byte for byte; the classes it uses are the originals (the same
 * static fields, the same cells).
 *
 * <p>Only names change, and a class file names classes only in its constant pool (class entries,
 * and descriptors of fields and methods), so the copy is the class file with those strings
 * rewritten. The copy and the classes of its package that it reaches (a helper {@code Account}
 * holding the lock) get a new name, {@code Branch$Stepped}, and are defined in the student's own
 * class loader and package ({@link MethodHandles.Lookup#defineClass}), so package-private access
 * works as in the original. JShell's wrapper classes, which enclose every cell's classes, are used,
 * not copied.
 *
 * <pre>{@code
 * Class<?> copy = ClassCopies.swapping(Branch.class, Map.of("java/util/concurrent/locks/ReentrantLock",
 *         "org/threadlab/grading/LockStep$SteppedLock"));   // null when it cannot be copied
 * }</pre>
 */
final class ClassCopies {
    private ClassCopies() {}

    /** What the copies' names end with. */
    static final String SUFFIX = "$Stepped";

    /** A class named inside a descriptor or signature: {@code Lname;} or {@code Lname<}. */
    private static final Pattern IN_DESCRIPTOR = Pattern.compile("L([^;<>()\\[\\]:.]+)([;<])");

    /**
     * The copy of {@code subject} with the classes in {@code swap} (internal names, {@code a/b/C})
     * replaced, or null when the submission's class files cannot be read or the copy cannot be
     * defined (the caller then judges nothing with it).
     */
    static Class<?> swapping(Class<?> subject, Map<String, String> swap) {
        ClassLoader loader = subject.getClassLoader();
        if (loader == null) return null;
        String pkg = subject.getPackageName();
        // the subject and every class of its package and loader that it reaches, enclosing classes left out
        Map<String, byte[]> group = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(subject.getName()));
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (group.containsKey(name) || !packageOf(name).equals(pkg) || subject.getName().startsWith(name + "$")) continue;
            try {
                if (Class.forName(name, false, loader).getClassLoader() != loader) continue;
            } catch (ClassNotFoundException | LinkageError e) {
                continue;
            }
            byte[] code = bytes(loader, name);
            if (code == null) {
                if (name.equals(subject.getName())) return null;
                continue;
            }
            group.put(name, code);
            for (String n : classNames(code)) todo.add(n.replace('/', '.'));
        }
        Map<String, String> names = new LinkedHashMap<>(swap);
        for (String n : group.keySet()) names.put(n.replace('.', '/'), n.replace('.', '/') + SUFFIX);
        Map<String, byte[]> copies = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, byte[]> e : group.entrySet()) copies.put(e.getKey() + SUFFIX, rename(e.getValue(), names));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        try {
            MethodHandles.Lookup in = MethodHandles.privateLookupIn(subject, MethodHandles.lookup());
            // a copy must be defined after the copies it extends or implements: define what can be, then the rest
            Map<String, Class<?>> defined = new LinkedHashMap<>();
            boolean progress = true;
            while (progress && defined.size() < copies.size()) {
                progress = false;
                for (Map.Entry<String, byte[]> e : copies.entrySet()) {
                    if (defined.containsKey(e.getKey())) continue;
                    try {
                        // copied before (an earlier test, or a helper another subject shares): the same copy again
                        defined.put(e.getKey(), Class.forName(e.getKey(), false, loader));
                        progress = true;
                        continue;
                    } catch (ClassNotFoundException notYet) {
                        // define it below
                    }
                    try {
                        defined.put(e.getKey(), in.defineClass(e.getValue()));
                        progress = true;
                    } catch (NoClassDefFoundError later) {
                        // its supertype is a copy not defined yet
                    }
                }
            }
            return defined.get(subject.getName() + SUFFIX);
        } catch (IllegalAccessException | LinkageError | SecurityException e) {
            return null;
        }
    }

    private static String packageOf(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    private static byte[] bytes(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** The class names (internal form) a class file's constant pool mentions: class entries and descriptors. */
    static List<String> classNames(byte[] code) {
        List<String> found = new ArrayList<>();
        try {
            rewrite(code, s -> {
                found.add(s);
                Matcher m = IN_DESCRIPTOR.matcher(s);
                while (m.find()) found.add(m.group(1));
                return s;
            });
        } catch (IOException | RuntimeException e) {
            // a class file this reader does not know: nothing found in it
        }
        return found;
    }

    /** The class file with every class name in {@code names} (internal form) replaced by its value, wherever the constant pool has it. */
    static byte[] rename(byte[] code, Map<String, String> names) throws IOException {
        return rewrite(code, s -> {
            String whole = names.get(s);
            if (whole != null) return whole;
            if (s.indexOf('L') < 0) return s;
            Matcher m = IN_DESCRIPTOR.matcher(s);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String to = names.get(m.group(1));
                m.appendReplacement(out, Matcher.quoteReplacement(to == null ? m.group() : "L" + to + m.group(2)));
            }
            m.appendTail(out);
            return out.toString();
        });
    }

    /**
     * The class file with each UTF-8 constant passed through {@code change}; the rest is copied as it
     * is, since everything after the constant pool refers to constants by number, not by offset.
     */
    private static byte[] rewrite(byte[] code, java.util.function.UnaryOperator<String> change) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(code));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(code.length + 256);
        DataOutputStream out = new DataOutputStream(bytes);
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
        out.writeInt(0xCAFEBABE);
        out.writeInt(in.readInt());   // minor and major version
        int count = in.readUnsignedShort();
        out.writeShort(count);
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            out.writeByte(tag);
            int size = switch (tag) {
                case 1 -> {
                    out.writeUTF(change.apply(in.readUTF()));
                    yield 0;
                }
                case 7, 8, 16, 19, 20 -> 2;       // class, string, method type, module, package
                case 15 -> 3;                      // method handle
                case 3, 4, 9, 10, 11, 12, 17, 18 -> 4;
                case 5, 6 -> 8;                    // long and double take two entries
                default -> throw new IOException("unknown constant pool tag " + tag);
            };
            if (tag == 5 || tag == 6) i++;
            out.write(in.readNBytes(size));
        }
        out.write(in.readAllBytes());
        out.flush();
        return bytes.toByteArray();
    }
}
