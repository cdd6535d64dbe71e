package org.threadlab.kernel;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.threadlab.kernel.exec.ClassDataArchive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;

/**
 * Starts the kernel for Jupyter: {@code java -cp ... org.threadlab.kernel.Main CONNECTION_FILE}.
 * {@code --print-jvm-flags} prints the JVM flags the kernelspec should start this JVM with.
 */
public final class Main {
    /** Flags of the kernel's own JVM: it compiles snippets and routes messages, so it should start fast and stay small. */
    static final List<String> KERNEL_JVM_FLAGS = List.of(
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss1m", "-Xms16m", "-Xmx512m", "-XX:-UsePerfData",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20",
            // a kernel out of memory may have lost any of its threads (ZeroMQ's I/O thread among them)
            // and answer heartbeats while serving nothing: exiting lets Jupyter restart it
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true");

    private Main() {}

    /**
     * {@link #KERNEL_JVM_FLAGS}, and those that only some JDKs know, for the JVM running this. At
     * exit HotSpot waits up to 300 ms (UserThreadWaitAttemptsAtExit, in recent JDKs) for threads
     * that sit in native code: here some always do (jeromq's I/O threads in epoll, readers of the
     * execution JVM's pipes), so a shutdown took 0.35-0.42 s where 0.06 s was needed. Such threads
     * are stopped on their way back into the JVM; the wait is a courtesy this process does not need.
     */
    static List<String> jvmFlags() {
        List<String> flags = new java.util.ArrayList<>(KERNEL_JVM_FLAGS);
        if (knowsOption("UserThreadWaitAttemptsAtExit")) flags.add("-XX:UserThreadWaitAttemptsAtExit=0");
        return flags;
    }

    private static boolean knowsOption(String name) {
        try {
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption(name);
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        // taken first: a parent that dies before the watch below is registered is still the one
        // watched (asked later, the OS would name the process that adopted us)
        java.util.Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (args.length == 1 && args[0].equals("--print-jvm-flags")) {
            jvmFlags().forEach(System.out::println);
            return;
        }
        if (args.length >= 1 && args.length <= 2 && args[0].equals("--train")) {
            train(args.length == 2 ? Path.of(args[1]) : null);
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: java -cp ... org.threadlab.kernel.Main CONNECTION_FILE (Jupyter passes it; run ./threadlab notebook)");
            System.exit(2);
        }
        if (Runtime.version().feature() < 21) {
            fail("ThreadLab needs Java 21 or newer, but this is Java " + Runtime.version()
                    + ". Reinstall the kernel with ./threadlab install-kernel, which finds a JDK 21+.");
        }
        KernelConnectionProperties props;
        try {
            props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
            if (props.getKey() == null || props.getTransport() == null || props.getIp() == null) {
                throw new IllegalArgumentException("it lacks key, transport or ip");
            }
        } catch (NoSuchFileException e) {
            fail("the connection file " + args[0] + " does not exist; Jupyter writes it when it starts a kernel");
            return;
        } catch (IOException | RuntimeException e) {
            fail("the connection file " + args[0] + " is not a valid Jupyter connection file (" + e.getMessage() + ")");
            return;
        }

        ThreadLabKernel kernel = ThreadLabKernel.builder().config(KernelConfig.fromEnvironment()).build();
        // javac's start-up and the execution JVM's are the long poles: both begin before the sockets open
        kernel.start();
        FastConnection connection;
        java.util.Set<Thread> before = ThreadWatch.liveThreads();
        try {
            connection = new FastConnection(props, Main::log);
            kernel.becomeHandlerForConnection(connection);
            connection.connect();
        } catch (RuntimeException e) {
            fail("cannot open the kernel's sockets on " + props.getIp() + " (" + e.getMessage()
                    + "); a port may be in use: restart the kernel so Jupyter picks new ports");
            return;
        }
        kernel.onStartup();
        exitWithParent(parent, kernel);
        // ZeroMQ's I/O threads and the channel loops: without any of them no request is answered
        ThreadWatch.start(ThreadWatch.startedSince(before), 500, connection::isClosing, why -> {
            log(why + "; exiting so that Jupyter restarts the kernel");
            kernel.onShutdown(false);
            Runtime.getRuntime().halt(70);
        });
        connection.waitUntilClose();
        kernel.onShutdown(false);
        // non-daemon threads of libraries must not keep a shut-down kernel alive
        Runtime.getRuntime().halt(0);
    }

    /**
     * Runs the kind of cells a lesson runs, in-process, and exits: started with
     * {@code -XX:AOTCacheOutput=...} (JDK 25+) or {@code -XX:ArchiveClassesAtExit=...} by
     * {@code ./threadlab install-kernel}, it leaves a cache of the classes javac and the kernel load,
     * which makes later kernels start faster. Given {@code execArchive}, it also leaves there the
     * execution JVM's class-data archive of the classes those cells loaded (see {@link ClassDataArchive}).
     */
    private static void train(Path execArchive) throws IOException {
        KernelConfig base = KernelConfig.fromEnvironment();
        Path classList = execArchive == null ? null : Files.createTempFile("threadlab-exec", ".classlist");
        KernelConfig config = classList == null ? base : base.withExecutionFlag(ClassDataArchive.recordFlag(classList));
        ThreadLabKernel kernel = ThreadLabKernel.builder().config(config).build();
        kernel.start();
        for (String cell : List.of("1 + 1", "int x = 42;", "String greet(String n) { return \"hi \" + n; }\ngreet(\"you\")",
                "System.out.println(x);", "var t = new Thread(() -> {}); t.start(); t.join();",
                "display(Table.of(List.of(\"a\"), List.of(List.of(\"1\"))));", "new java.awt.image.BufferedImage(4, 4, 1)",
                "int broken = ;", "throw new IllegalStateException(\"x\")", "%%time\nMath.max(1, 2)",
                // what the first lessons load in the execution JVM: the OS views, Java2D drawing, a chart
                "load()", "ps()", "pstree()", "%threads",
                "var img = new java.awt.image.BufferedImage(60, 20, 1); var g = img.createGraphics();\n"
                        + "g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);\n"
                        + "g.setColor(new java.awt.Color(0x2E86AB)); g.fillRoundRect(2, 2, 40, 12, 6, 6); g.drawString(\"a\", 45, 15); g.dispose(); img",
                "bar(\"t\", Map.of(\"a\", 1, \"b\", 2), \"ms\")")) {
            kernel.execute(cell);
        }
        kernel.complete("Math.ma", 7);
        kernel.isComplete("for (int i = 0; i < 3; i++) {");
        kernel.inspect("Math.max", 8, false);
        try {
            trainProtocol(kernel);
        } catch (Exception | LinkageError e) {
            // a cache without the protocol's classes only starts slower
            log("training the protocol path failed: " + e);
        }
        // the execution JVM writes its class list through a buffer that SIGKILL (how the kernel ends it)
        // would lose the end of: SIGTERM first, whose exit writes it out (System.exit is what cells may not call)
        if (execArchive != null) endExecutionJvms();
        kernel.onShutdown(false);
        if (execArchive != null) {
            try {
                ClassDataArchive.dump(base.executionFlags(), base.cellClassPath(), classList, execArchive);
            } catch (IOException e) {
                log(e.getMessage());
            } finally {
                Files.deleteIfExists(classList);
            }
        }
        System.exit(0);
    }

    /** Ends this JVM's execution JVMs with SIGTERM and waits up to 10 s for each. */
    private static void endExecutionJvms() {
        List<ProcessHandle> jvms = ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(org.threadlab.kernel.exec.ExecutionJvm.AGENT)).orElse(false))
                .toList();
        jvms.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : jvms) {
            try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                log("the training's execution JVM did not end on SIGTERM: " + e);
            }
        }
    }

    /**
     * What a start does before its first kernel_info reply, once, for the cache: the connection file
     * parsed, the sockets bound, the starting status sent, and kernel_info and two cells over ZeroMQ
     * from a client in this JVM. Without it each start loaded and verified ZeroMQ's, gson's and the
     * signature's classes from the jars while javac and the execution JVM started beside it.
     */
    private static void trainProtocol(ThreadLabKernel kernel) throws Exception {
        int[] ports = new int[5];
        for (int i = 0; i < ports.length; i++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                ports[i] = s.getLocalPort();
            }
        }
        String key = java.util.UUID.randomUUID().toString();
        KernelConnectionProperties props = KernelConnectionProperties.parse(String.format(java.util.Locale.ROOT,
                "{\"shell_port\": %d, \"iopub_port\": %d, \"stdin_port\": %d, \"control_port\": %d, \"hb_port\": %d,"
                        + " \"ip\": \"127.0.0.1\", \"key\": \"%s\", \"transport\": \"tcp\", \"signature_scheme\": \"hmac-sha256\","
                        + " \"kernel_name\": \"threadlab\"}", ports[0], ports[1], ports[2], ports[3], ports[4], key));
        FastConnection connection = new FastConnection(props, m -> { });
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        org.zeromq.ZMQ.Context ctx = org.zeromq.ZMQ.context(1);
        org.zeromq.ZMQ.Socket client = ctx.socket(org.zeromq.SocketType.DEALER);
        try {
            client.setReceiveTimeOut(30_000);
            client.setLinger(0);
            client.connect("tcp://127.0.0.1:" + props.getShellPort());
            var hmac = props.createHMACGenerator();
            request(client, hmac, "kernel_info_request", "{}");
            for (String cell : List.of("1 + 1", "System.out.println(\"hi\");")) {
                com.google.gson.JsonObject content = new com.google.gson.JsonObject();
                content.addProperty("code", cell);
                content.addProperty("silent", false);
                content.addProperty("store_history", true);
                content.add("user_expressions", new com.google.gson.JsonObject());
                content.addProperty("allow_stdin", false);
                content.addProperty("stop_on_error", true);
                request(client, hmac, "execute_request", content.toString());
            }
        } finally {
            client.close();
            connection.close();
            ctx.close();
        }
    }

    /** Sends a signed request as a Jupyter client does and reads the frames of its reply (or none in 30 s). */
    private static void request(org.zeromq.ZMQ.Socket client, org.dflib.jjava.jupyter.messages.HMACGenerator hmac, String type, String content) {
        byte[] header = String.format(java.util.Locale.ROOT, "{\"msg_id\": \"%s\", \"session\": \"train\", \"username\": \"train\","
                + " \"date\": \"%s\", \"msg_type\": \"%s\", \"version\": \"5.3\"}", java.util.UUID.randomUUID(),
                java.time.Instant.now(), type).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] empty = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        client.sendMore("<IDS|MSG>");
        client.sendMore(hmac.calculateSignature(header, empty, empty, body));
        client.sendMore(header);
        client.sendMore(empty);
        client.sendMore(empty);
        client.send(body);
        if (client.recv(0) == null) throw new IllegalStateException("no " + type + " reply in 30 s");
        while (client.hasReceiveMore()) client.recv(0);
    }

    /** A kernel whose Jupyter server died is of no use to anyone: end with it. */
    private static void exitWithParent(java.util.Optional<ProcessHandle> parent, ThreadLabKernel kernel) {
        parent.ifPresent(p -> p.onExit().thenRun(() -> {
            log("the Jupyter process that started this kernel ended; shutting down");
            kernel.onShutdown(false);
            Runtime.getRuntime().halt(0);
        }));
    }

    static void log(String message) {
        System.err.println("[ThreadLab " + LocalTime.now().withNano(0) + "] " + message);
    }

    private static void fail(String message) {
        log("cannot start: " + message);
        System.exit(1);
    }
}
