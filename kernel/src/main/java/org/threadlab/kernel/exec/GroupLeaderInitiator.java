package org.threadlab.kernel.exec;

import jdk.jshell.execution.JdiInitiator;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JShell's launcher of the remote JVM, changed in one respect: on Linux the JVM starts through
 * {@code setsid}, so it leads a process group of its own, and {@link #killGroup} ends it with
 * every process its cells started, even the ones whose parent has already exited.
 */
final class GroupLeaderInitiator extends JdiInitiator {
    private static final String SETSID = Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid"
            : Files.isExecutable(Path.of("/bin/setsid")) ? "/bin/setsid" : null;
    private static final String AGENT = "org.threadlab.agent.CellAgent";

    GroupLeaderInitiator(int port, List<String> remoteVMOptions, int timeoutMs) {
        super(port, remoteVMOptions, AGENT, false, null, timeoutMs, Map.of());
    }

    @Override
    protected void runListenProcess(String jdiAddress, int jshellControlPort, List<String> remoteVMOptions, ProcessStarted setupVM) {
        Process process = null;
        File errors = null;
        try {
            errors = File.createTempFile("threadlab-exec", ".err");
            List<String> args = new ArrayList<>();
            if (SETSID != null) args.add(SETSID);
            args.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            args.add("-agentlib:jdwp=transport=dt_socket,address=" + jdiAddress);
            args.addAll(remoteVMOptions);
            args.add(AGENT);
            args.add(String.valueOf(jshellControlPort));
            ProcessBuilder pb = new ProcessBuilder(args);
            // the agent prints nothing on its own streams once connected; start-up failures land in the file
            pb.redirectErrorStream(true);
            pb.redirectOutput(errors);
            process = pb.start();
            setupVM.processStarted(process);
        } catch (Throwable ex) {
            if (process != null) process.destroyForcibly();
            String text = "";
            try {
                if (errors != null) text = Files.readString(errors.toPath());
            } catch (IOException ignored) {
                // nothing more to say
            }
            throw new IllegalStateException("the execution JVM did not start" + (text.isBlank() ? ": " + ex : ":\n" + text), ex);
        } finally {
            if (errors != null) errors.deleteOnExit();
        }
    }

    /** SIGKILL to the process group led by {@code pid} (no-op where setsid was not used). */
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
