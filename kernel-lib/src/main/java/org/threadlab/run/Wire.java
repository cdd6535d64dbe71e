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
        write(out, type, body, true);
    }

    /**
     * Writes one frame; with {@code flush} false it stays in the buffer, to leave with the next
     * frames in one write(2). The header is shifted by hand: DataOutputStream.writeInt goes through
     * a VarHandle, slow in the interpreter that runs a young worker's first maps.
     */
    static void write(DataOutputStream out, byte type, byte[] body, boolean flush) throws IOException {
        byte[] header = new byte[5];
        header[0] = type;
        putInt(header, 1, body.length);
        synchronized (out) {
            out.write(header, 0, 5);
            out.write(body, 0, body.length);
            if (flush) out.flush();
        }
    }

    /** The next frame, or {@code null} at end of stream. */
    static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) return null;
        byte[] length = new byte[4];
        in.readFully(length);
        int n = getInt(length, 0);
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
    // those skips Java serialization, which costs far more than the values themselves. A pool's
    // first few dozen maps run the loops below in the interpreter (each runs once per chunk, so
    // the JIT gets to them late), hence no ByteBuffer, whose chain of calls per value would be
    // interpreted too.
    private static final byte INTS = 'I', LONGS = 'J', DOUBLES = 'D', STRINGS = 'S', OBJECTS = 'O';

    /**
     * {@code values} as bytes after {@code header} bytes left zero for the caller: compact for
     * all-Integer, -Long, -Double or -String arrays.
     */
    static byte[] encodeArray(Object[] values, int header) throws NotSerializableException {
        return encodeArray(values, 0, values.length, header);
    }

    /**
     * {@code values[from..to)} as bytes after {@code header} bytes left zero for the caller, so
     * that neither a slice nor a header costs a copy of the whole message.
     */
    static byte[] encodeArray(Object[] values, int from, int to, int header) throws NotSerializableException {
        // if/else, not a pattern switch: that bootstraps an invokedynamic on first use, which a
        // fresh worker pays inside its first map
        Object first = from < to ? values[from] : null;
        byte[] out = first instanceof Integer ? ints(values, from, to, header)
                : first instanceof Long ? longs(values, from, to, header)
                : first instanceof Double ? doubles(values, from, to, header)
                : first instanceof String ? strings(values, from, to, header)
                : null;
        if (out != null) return out;
        byte[] ser = serialize(from == 0 && to == values.length ? values : java.util.Arrays.copyOfRange(values, from, to));
        out = new byte[header + 1 + ser.length];
        out[header] = OBJECTS;
        System.arraycopy(ser, 0, out, header + 1, ser.length);
        return out;
    }

    // Each returns null at the first value of another type (or null): the array goes as OBJECTS.
    // The per-value work sits in small methods (putInteger, integerAt, ...): the JIT compiles
    // them within a pool's first chunk, long before the loops that call them, so a loop still
    // interpreted runs little more than the calls (measured: about 30% less per chunk than the
    // same work written out in the loop).

    private static byte[] ints(Object[] values, int from, int to, int at) {
        byte[] b = new byte[at + 5 + 4 * (to - from)];
        b[at] = INTS;
        putInt(b, at + 1, to - from);
        for (int i = from, p = at + 5; i < to; i++, p += 4) {
            if (!putInteger(b, p, values[i])) return null;
        }
        return b;
    }

    private static byte[] longs(Object[] values, int from, int to, int at) {
        byte[] b = new byte[at + 5 + 8 * (to - from)];
        b[at] = LONGS;
        putInt(b, at + 1, to - from);
        for (int i = from, p = at + 5; i < to; i++, p += 8) {
            if (!putLong(b, p, values[i])) return null;
        }
        return b;
    }

    private static byte[] doubles(Object[] values, int from, int to, int at) {
        byte[] b = new byte[at + 5 + 8 * (to - from)];
        b[at] = DOUBLES;
        putInt(b, at + 1, to - from);
        for (int i = from, p = at + 5; i < to; i++, p += 8) {
            if (!putDouble(b, p, values[i])) return null;
        }
        return b;
    }

    private static byte[] strings(Object[] values, int from, int to, int at) {
        byte[][] utf = new byte[to - from][];
        int size = at + 5;
        for (int i = from; i < to; i++) {
            if (!(values[i] instanceof String s)) return null;
            utf[i - from] = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            size += 4 + utf[i - from].length;
        }
        byte[] b = new byte[size];
        b[at] = STRINGS;
        putInt(b, at + 1, to - from);
        int p = at + 5;
        for (byte[] u : utf) {
            putInt(b, p, u.length);
            System.arraycopy(u, 0, b, p + 4, u.length);
            p += 4 + u.length;
        }
        return b;
    }

    static Object[] decodeArray(byte[] body, int offset, ClassLoader loader) throws IOException, ClassNotFoundException {
        byte tag = body[offset];
        if (tag == OBJECTS) {
            return (Object[]) deserialize(java.util.Arrays.copyOfRange(body, offset + 1, body.length), loader);
        }
        int n = getInt(body, offset + 1);
        int width = tag == INTS ? 4 : tag == LONGS || tag == DOUBLES ? 8 : 4;
        if (n < 0 || (long) n * width > body.length - offset - 5) throw new IOException("corrupt array of " + n + " values (tag " + tag + ")");
        // one small method per type, like the encoders: the JIT compiles each loop on its own
        // (a young pool's optimizing compiles compete with its maps for the CPU)
        return switch (tag) {
            case INTS -> decodeInts(body, offset + 5, n);
            case LONGS -> decodeLongs(body, offset + 5, n);
            case DOUBLES -> decodeDoubles(body, offset + 5, n);
            case STRINGS -> decodeStrings(body, offset + 5, n);
            default -> throw new IOException("unknown array tag " + tag);
        };
    }

    private static Object[] decodeInts(byte[] b, int p, int n) {
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++, p += 4) values[i] = integerAt(b, p);
        return values;
    }

    private static Object[] decodeLongs(byte[] b, int p, int n) {
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++, p += 8) values[i] = longAt(b, p);
        return values;
    }

    private static Object[] decodeDoubles(byte[] b, int p, int n) {
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++, p += 8) values[i] = doubleAt(b, p);
        return values;
    }

    private static Object[] decodeStrings(byte[] b, int p, int n) {
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            int len = getInt(b, p);
            values[i] = new String(b, p + 4, len, java.nio.charset.StandardCharsets.UTF_8);
            p += 4 + len;
        }
        return values;
    }

    private static boolean putInteger(byte[] b, int p, Object o) {
        if (!(o instanceof Integer v)) return false;
        putInt(b, p, v);
        return true;
    }

    private static boolean putLong(byte[] b, int p, Object o) {
        if (!(o instanceof Long v)) return false;
        putLong(b, p, (long) v);
        return true;
    }

    private static boolean putDouble(byte[] b, int p, Object o) {
        if (!(o instanceof Double v)) return false;
        putLong(b, p, Double.doubleToRawLongBits(v));
        return true;
    }

    private static Integer integerAt(byte[] b, int p) {
        return getInt(b, p);
    }

    private static Long longAt(byte[] b, int p) {
        return getLong(b, p);
    }

    private static Double doubleAt(byte[] b, int p) {
        return Double.longBitsToDouble(getLong(b, p));
    }

    /** Big-endian, as DataOutputStream and ByteBuffer write. */
    static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    static void putLong(byte[] b, int p, long v) {
        putInt(b, p, (int) (v >>> 32));
        putInt(b, p + 4, (int) v);
    }

    static int getInt(byte[] b, int p) {
        return (b[p] << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }

    static long getLong(byte[] b, int p) {
        return ((long) getInt(b, p) << 32) | (getInt(b, p + 4) & 0xffffffffL);
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
