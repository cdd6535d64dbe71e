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
