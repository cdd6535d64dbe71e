package org.threadlab.ipc;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;

/** Loopback sockets as the IPC paths use them: small messages, so no Nagle delay. */
final class Loopback {
    private Loopback() {}

    /** A connection to {@code port} on this machine; {@code what} names the listener in the error. */
    static Socket connect(int port, String what) {
        try {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("no " + what + " listens on loopback port " + port + ": " + e.getMessage(), e);
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
