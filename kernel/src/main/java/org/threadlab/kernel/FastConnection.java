package org.threadlab.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.Loop;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * jjava-jupyter's connection, with shell and control channels that wait on the socket instead of
 * polling it every 50 ms (a round trip of {@code 1+1} would otherwise cost 25 ms on average), and
 * that read each message whole before judging it: jjava-jupyter's reader takes frames until it
 * sees the {@code <IDS|MSG>} delimiter, so one frame of garbage made it swallow the next real
 * request as the rest of the garbage. A message with too few frames, a wrong HMAC signature or
 * JSON that does not parse is dropped with a log line, and the next one is read afresh.
 *
 * <p>Every socket refuses a frame larger than {@link #MAX_MESSAGE_BYTES} (ZMQ_MAXMSGSIZE: the
 * sender's connection is dropped before the frame is buffered), so a client cannot exhaust the
 * kernel's heap with a few huge frames. Output travels the other way and is not limited.
 */
public final class FastConnection extends JupyterConnection {
    private static final int POLL_MS = 100;
    /**
     * The largest frame any socket accepts: 64 MiB, far above a cell's source or a comm message a
     * lesson sends, and an eighth of the kernel's heap. THREADLAB_ZMQ_MAX_MESSAGE (bytes) changes it.
     */
    static final long MAX_MESSAGE_BYTES = maxMessageBytes(System.getenv("THREADLAB_ZMQ_MAX_MESSAGE"));
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    static long maxMessageBytes(String env) {
        long fallback = 64L << 20;
        if (env == null || env.isBlank()) return fallback;
        try {
            long v = Long.parseLong(env.strip());
            return v > 0 ? v : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private final KernelConnectionProperties props;
    private final Channel shellChannel;
    private final Channel controlChannel;
    private final Consumer<String> log;
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean closing;
    private final HMACGenerator hmac;

    public FastConnection(KernelConnectionProperties props, Consumer<String> log) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.props = props;
        this.log = log;
        ZMQ.Context ctx = ZMQ.context(1);
        this.hmac = props.createHMACGenerator();
        this.shellChannel = new Channel(ctx, hmac, false);
        this.controlChannel = new Channel(ctx, hmac, true);
    }

    /** How many messages were dropped for a bad signature. */
    public long rejectedMessages() {
        return rejected.get();
    }

    /** How many messages were dropped because they were not a well-formed Jupyter message. */
    public long malformedMessages() {
        return malformed.get();
    }

    @Override
    public void connect() {
        // the parent binds heartbeat, stdin and iopub (its own shell and control are never bound)
        for (ZMQ.Socket s : List.of(heartbeat, stdin, iopub, shellChannel, controlChannel)) s.setMaxMsgSize(MAX_MESSAGE_BYTES);
        heartbeat.bind(props);
        stdin.bind(props);
        iopub.bind(props);
        shellChannel.bind(props);
        controlChannel.bind(props);
        getIOPub().sendMessage(new Message<>(null, org.dflib.jjava.jupyter.messages.publish.PublishStatus.MESSAGE_TYPE,
                org.dflib.jjava.jupyter.messages.publish.PublishStatus.STARTING));
    }

    /** True once {@link #close()} began: the channel threads end on purpose then. */
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void close() {
        closing = true;
        shellChannel.close();
        controlChannel.close();
        heartbeat.close();
        stdin.close();
        iopub.close();
    }

    @Override
    public void waitUntilClose() {
        shellChannel.waitUntilClose();
        controlChannel.waitUntilClose();
    }

    private final class Channel extends ShellChannel {
        private final boolean isControl;
        private volatile Loop loop;

        Channel(ZMQ.Context ctx, HMACGenerator hmac, boolean isControl) {
            super(ctx, hmac, isControl, FastConnection.this, 0);
            this.isControl = isControl;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void bind(KernelConnectionProperties p) {
            int port = isControl ? p.getControlPort() : p.getShellPort();
            ((ZMQ.Socket) this).bind(p.getTransport() + "://" + p.getIp() + ":" + port);
            ZMQ.Poller poller = ctx.poller(1);
            poller.register(this, ZMQ.Poller.POLLIN);
            loop = new Loop(isControl ? "control" : "shell", 0, () -> {
                if (poller.poll(POLL_MS) <= 0) return;
                Message<?> message;
                String channel = isControl ? "control" : "shell";
                try {
                    message = Wire.parse(readFrames(), hmac);
                } catch (SecurityException e) {
                    rejected.incrementAndGet();
                    log.accept("dropped a message on the " + channel + " channel: its HMAC signature does not match the connection key");
                    return;
                } catch (RuntimeException e) {
                    malformed.incrementAndGet();
                    log.accept("dropped a malformed message on the " + channel + " channel: " + e.getMessage());
                    return;
                }
                if (message == null) return;
                ShellHandler handler = getHandler(message.getHeader().getType());
                if (handler == null) {
                    log.accept("no handler for " + message.getHeader().getType().getName());
                    return;
                }
                ShellReplyEnvironment env = prepareReplyEnv(this, message);
                try {
                    handler.handle(env, message);
                } catch (Exception e) {
                    log.accept("error handling " + message.getHeader().getType().getName() + ": " + e);
                } finally {
                    env.resolveDeferrals();
                }
                if (env.isMarkedForShutdown()) FastConnection.this.close();
            });
            loop.start();
        }

        /** Every frame of the next message: ZeroMQ delivers a multipart message whole, so this never waits. */
        private List<byte[]> readFrames() {
            List<byte[]> frames = new ArrayList<>();
            do {
                byte[] f = recv(0);
                if (f == null) break;
                frames.add(f);
            } while (hasReceiveMore());
            return frames;
        }

        @Override
        public void close() {
            Loop l = loop;
            if (l != null) l.shutdown();
            super.close();
        }

        @Override
        public void waitUntilClose() {
            Loop l = loop;
            if (l == null || l == Thread.currentThread()) return;
            try {
                l.join();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static SocketType unused() {
        return SocketType.ROUTER;
    }

    /** The Jupyter wire format, read from a message's complete list of frames. */
    static final class Wire {
        private static final com.google.gson.Gson GSON = jjavaGson();
        private static final java.lang.reflect.Type MAP = new com.google.gson.reflect.TypeToken<java.util.Map<String, Object>>() {}.getType();

        private Wire() {}

        /** jjava-jupyter's Gson, which knows its adapters for headers, timestamps and message types. */
        private static com.google.gson.Gson jjavaGson() {
            try {
                var f = org.dflib.jjava.jupyter.channels.JupyterSocket.class.getDeclaredField("gson");
                f.setAccessible(true);
                return (com.google.gson.Gson) f.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("this jjava-jupyter has no JupyterSocket.gson; update FastConnection.Wire", e);
            }
        }

        /**
         * The message in {@code frames}: identities, {@code <IDS|MSG>}, signature, header, parent
         * header, metadata, content, buffers. Throws SecurityException for a bad signature and
         * IllegalArgumentException (or Gson's exception) for anything else that is not such a message.
         */
        @SuppressWarnings({"unchecked", "rawtypes"})
        static Message<?> parse(List<byte[]> frames, HMACGenerator hmac) {
            int d = -1;
            for (int i = 0; i < frames.size(); i++) {
                if (java.util.Arrays.equals(frames.get(i), DELIMITER)) {
                    d = i;
                    break;
                }
            }
            if (d < 0) throw new IllegalArgumentException(frames.size() + " frame(s) without the <IDS|MSG> delimiter");
            if (frames.size() < d + 6) throw new IllegalArgumentException("only " + (frames.size() - d - 1) + " frame(s) after the delimiter, 5 needed");
            byte[] header = frames.get(d + 2), parent = frames.get(d + 3), metadata = frames.get(d + 4), content = frames.get(d + 5);
            String expected = hmac.calculateSignature(header, parent, metadata, content);
            if (expected != null && !java.security.MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII), frames.get(d + 1))) {
                throw new SecurityException("bad signature");
            }
            var h = GSON.fromJson(utf8(header), org.dflib.jjava.jupyter.messages.Header.class);
            if (h == null || h.getType() == null) throw new IllegalArgumentException("the header has no msg_type");
            org.dflib.jjava.jupyter.messages.Header<?> parentHeader = null;
            var p = com.google.gson.JsonParser.parseString(utf8(parent));
            if (p.isJsonObject() && !p.getAsJsonObject().isEmpty()) parentHeader = GSON.fromJson(p, org.dflib.jjava.jupyter.messages.Header.class);
            java.util.Map<String, Object> meta = GSON.fromJson(utf8(metadata), MAP);
            Object body = GSON.fromJson(utf8(content), h.getType().getContentType());
            List<byte[]> identities = new ArrayList<>(frames.subList(0, d));
            List<byte[]> blobs = new ArrayList<>(frames.subList(d + 6, frames.size()));
            return new Message(identities, h, parentHeader, meta, body, blobs);
        }

        private static String utf8(byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
