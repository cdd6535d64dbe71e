package org.threadlab.ipc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;

/** The other end of a {@link Pipe}: echoes each message from stdin to stdout; ends at end of input. */
public final class PipeChild {
    private PipeChild() {}

    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        byte[] buf = new byte[256];
        try {
            while (true) {
                int n = in.readInt();
                if (n > buf.length) buf = new byte[n];
                in.readFully(buf, 0, n);
                out.writeInt(n);
                out.write(buf, 0, n);
                // flush only when no more input is waiting: batches under load, answers at once when idle
                if (in.available() == 0) out.flush();
            }
        } catch (EOFException e) {
            out.flush();
        }
    }
}
