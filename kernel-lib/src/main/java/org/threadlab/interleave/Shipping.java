package org.threadlab.interleave;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serializes the spec and collects the bytes of every class it needs that the child's class path
 * lacks: a notebook cell's classes live only in JShell's loader, and Lincheck finds classes by
 * name through the application class loader, so the child must have them on its class path.
 */
final class Shipping {
    private Shipping() {}

    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[\\w$/]+");

    record Package(byte[] spec, Map<String, byte[]> classes) {}

    static Package pack(Object spec, ClassLoader source) throws NotSerializableException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
            {
                enableReplaceObject(true);
            }

            @Override
            protected void annotateClass(Class<?> c) {
                todo.add(c.getName());
            }

            @Override
            protected Object replaceObject(Object o) {
                if (o instanceof SerializedLambda l) {
                    todo.add(l.getCapturingClass().replace('/', '.'));
                    todo.add(l.getImplClass().replace('/', '.'));
                }
                return o;
            }
        }) {
            out.writeObject(spec);
        } catch (NotSerializableException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("could not serialize the threads for the engine's JVM: " + e, e);
        }
        ClassLoader app = ClassLoader.getSystemClassLoader();
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (classes.containsKey(name) || name.startsWith("[") || name.startsWith("java.")) continue;
            String res = name.replace('.', '/') + ".class";
            if (app.getResource(res) != null) continue;   // the child has it on its class path
            byte[] code;
            try (InputStream in = source.getResourceAsStream(res)) {
                if (in == null) continue;
                code = in.readAllBytes();
            } catch (IOException e) {
                continue;
            }
            classes.put(name, code);
            todo.addAll(referencedClasses(code));
        }
        return new Package(bytes.toByteArray(), classes);
    }

    /** Every name in the constant pool that could be a class: class entries and type descriptors. */
    static java.util.List<String> referencedClasses(byte[] code) {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(code))) {
            in.skipBytes(8);
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> {
                        String s = in.readUTF();
                        // plain internal names (class entries point here) and L...; inside descriptors
                        java.util.regex.Matcher m = TOKEN.matcher(s);
                        while (m.find()) {
                            String t = m.group().replace('/', '.');
                            names.add(t);
                            if (t.startsWith("L")) names.add(t.substring(1));
                        }
                    }
                    case 3, 4 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                    case 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 15 -> in.skipBytes(3);
                    default -> {
                        return names;
                    }
                }
            }
        } catch (IOException e) {
            // a truncated class: ship what was found
        }
        return names;
    }
}
