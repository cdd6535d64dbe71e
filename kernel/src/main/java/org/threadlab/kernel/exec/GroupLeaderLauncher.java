package org.threadlab.kernel.exec;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.ListeningConnector;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Starts the execution JVM under JDI, as JShell's {@code JdiInitiator} does in listen mode, with
 * one difference: on Linux the JVM starts through {@code setsid}, so it leads a process group of
 * its own, and {@link #killGroup} ends it with every process its cells started, even those whose
 * parent already exited. (JDK 21 offers no hook into JdiInitiator's launch, hence this class.)
 */
final class GroupLeaderLauncher {
    private static final String SETSID = Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid"
            : Files.isExecutable(Path.of("/bin/setsid")) ? "/bin/setsid" : null;

    record Target(VirtualMachine vm, Process process) {}

    private GroupLeaderLauncher() {}

    /**
     * Starts the JVM, suspended until JDI resumes it; {@code onStart} sees the process before any of
     * its Java code runs (it joins a cgroup there).
     */
    static Target launch(List<String> vmOptions, String agentClass, int agentPort, int timeoutMs,
                         java.util.function.Consumer<Process> onStart) throws IOException {
        ListeningConnector connector = null;
        for (ListeningConnector c : Bootstrap.virtualMachineManager().listeningConnectors()) {
            if (c.name().equals("com.sun.jdi.SocketListen")) connector = c;
        }
        if (connector == null) throw new IOException("this JDK has no JDI socket connector (module jdk.jdi); install a full JDK 21+");
        Map<String, Connector.Argument> args = connector.defaultArguments();
        args.get("localAddress").setValue("127.0.0.1");
        args.get("port").setValue("0");
        args.get("timeout").setValue(String.valueOf(timeoutMs));
        File log = File.createTempFile("threadlab-exec", ".log");
        log.deleteOnExit();
        Process process = null;
        ExecutorService acceptor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "threadlab-jdi-accept");
            t.setDaemon(true);
            return t;
        });
        try {
            String address = connector.startListening(args);
            ListeningConnector listening = connector;
            Future<VirtualMachine> vm = acceptor.submit(() -> listening.accept(args));
            List<String> cmd = new ArrayList<>();
            if (SETSID != null) cmd.add(SETSID);
            cmd.add(java());
            cmd.add("-agentlib:jdwp=transport=dt_socket,address=" + address);
            cmd.addAll(vmOptions);
            cmd.add(agentClass);
            cmd.add(String.valueOf(agentPort));
            // once connected the agent writes nothing to these streams; start-up failures land in the log
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
            Process started = process;
            onStart.accept(started);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (!vm.isDone()) {
                if (!started.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("the execution JVM did not start:\n" + Files.readString(log.toPath()));
                }
                Thread.sleep(5);
            }
            return new Target(vm.get(), process);
        } catch (Exception e) {
            if (process != null) process.destroyForcibly();
            if (e instanceof IOException io) throw io;
            throw new IOException("the execution JVM did not start: " + e, e);
        } finally {
            try {
                connector.stopListening(args);
            } catch (Exception ignored) {
                // not listening any more
            }
            acceptor.shutdownNow();
        }
    }

    /** The launcher of the JDK running the kernel: the execution JVM runs on the same one. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** SIGKILL to the process group led by {@code pid} (nothing where setsid was not used). */
    static void killGroup(long pid) {
        if (SETSID == null) return;
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // no kill command: the descendants were killed one by one already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
