package org.threadlab.run;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;

/**
 * The framing between a parent JVM and its child JVMs, over the child's stdin and stdout:
 * one type byte, a length, then the bytes. Both sides read frames on a dedicated thread, so a
 * child can ask for a class's bytes in the middle of deserializing a task.
 */
final class Wire {
    private Wire() {}

    // parent -> child
    static final byte CALL = 1;        // a serialized SerializableCallable: run it, answer RESULT or ERROR
    static final byte FUNCTION = 2;    // a serialized SerializableFunction for the next CHUNKs
    static final byte CHUNK = 3;       // a serialized Object[] of inputs: answer RESULT with Object[] outputs
    static final byte CLASS_BYTES = 4; // the answer to CLASS_REQUEST (empty: not found)
    // child -> parent
    static final byte READY = 10;      // the child started: payload its PID as text
    static final byte RESULT = 11;     // 3 longs (deserialize, work, serialize ns) then the serialized value
    static final byte ERROR = 12;      // a readable message, UTF-8
    static final byte CLASS_REQUEST = 13; // a binary class name, UTF-8
    static final byte OUT = 14;        // bytes the child printed to System.out

    record Frame(byte type, byte[] body) {}

    static void write(DataOutputStream out, byte type, byte[] body) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(body.length);
            out.write(body);
            out.flush();
        }
    }

    /** The next frame, or {@code null} at end of stream. */
    static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) return null;
        int n = in.readInt();
        if (n < 0 || n > (1 << 30)) throw new IOException("corrupt frame of length " + n + " (type " + type + ")");
        byte[] body = new byte[n];
        try {
            in.readFully(body);
        } catch (EOFException e) {
            return null;
        }
        return new Frame((byte) type, body);
    }

    static byte[] serialize(Object o) throws NotSerializableException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (NotSerializableException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("serialization failed: " + e, e);
        }
        return bytes.toByteArray();
    }

    // Inputs and results of a pool map are mostly numbers or strings: a plain binary form for
    // those skips Java serialization, which costs far more than the values themselves (and runs
    // as cold code in fresh workers). Anything else falls back to serialization.
    private static final byte INTS = 'I', LONGS = 'J', DOUBLES = 'D', STRINGS = 'S', OBJECTS = 'O';

    /** {@code values} as bytes: compact for all-Integer, -Long, -Double or -String arrays. */
    static byte[] encodeArray(Object[] values) throws NotSerializableException {
        byte tag = tagOf(values);
        if (tag == OBJECTS) {
            byte[] ser = serialize(values);
            byte[] out = new byte[ser.length + 1];
            out[0] = OBJECTS;
            System.arraycopy(ser, 0, out, 1, ser.length);
            return out;
        }
        if (tag == STRINGS) {
            byte[][] utf = new byte[values.length][];
            int size = 5;
            for (int i = 0; i < values.length; i++) {
                utf[i] = ((String) values[i]).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                size += 4 + utf[i].length;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size).put(tag).putInt(values.length);
            for (byte[] u : utf) b.putInt(u.length).put(u);
            return b.array();
        }
        int width = tag == INTS ? 4 : 8;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(5 + width * values.length).put(tag).putInt(values.length);
        switch (tag) {
            case INTS -> { for (Object v : values) b.putInt((Integer) v); }
            case LONGS -> { for (Object v : values) b.putLong((Long) v); }
            default -> { for (Object v : values) b.putDouble((Double) v); }
        }
        return b.array();
    }

    private static byte tagOf(Object[] values) {
        if (values.length == 0) return OBJECTS;
        Class<?> c = values[0] == null ? null : values[0].getClass();
        if (c != Integer.class && c != Long.class && c != Double.class && c != String.class) return OBJECTS;
        for (Object v : values) if (v == null || v.getClass() != c) return OBJECTS;
        return c == Integer.class ? INTS : c == Long.class ? LONGS : c == Double.class ? DOUBLES : STRINGS;
    }

    static Object[] decodeArray(byte[] body, int offset, ClassLoader loader) throws IOException, ClassNotFoundException {
        byte tag = body[offset];
        if (tag == OBJECTS) {
            return (Object[]) deserialize(java.util.Arrays.copyOfRange(body, offset + 1, body.length), loader);
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body, offset + 1, body.length - offset - 1);
        Object[] values = new Object[in.getInt()];
        switch (tag) {
            case INTS -> { for (int i = 0; i < values.length; i++) values[i] = in.getInt(); }
            case LONGS -> { for (int i = 0; i < values.length; i++) values[i] = in.getLong(); }
            case DOUBLES -> { for (int i = 0; i < values.length; i++) values[i] = in.getDouble(); }
            case STRINGS -> {
                for (int i = 0; i < values.length; i++) {
                    byte[] utf = new byte[in.getInt()];
                    in.get(utf);
                    values[i] = new String(utf, java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            default -> throw new IOException("unknown array tag " + tag);
        }
        return values;
    }

    static Object deserialize(byte[] body, ClassLoader loader) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(body), loader)) {
            return in.readObject();
        }
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }

    /** System.out of a child: each write becomes an OUT frame. */
    static final class FrameOutputStream extends OutputStream {
        private final DataOutputStream out;

        FrameOutputStream(DataOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) return;
            byte[] copy = new byte[len];
            System.arraycopy(b, off, copy, 0, len);
            Wire.write(out, OUT, copy);
        }
    }
}
