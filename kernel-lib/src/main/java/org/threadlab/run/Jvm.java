package org.threadlab.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a fresh JVM with this JVM's class path, for children you drive yourself
 * (through their stdin and stdout, for example).
 *
 * <pre>{@code
 * Process p = Jvm.start("org.threadlab.ipc.PipeChild", "echo");
 * }</pre>
 */
public final class Jvm {
    private Jvm() {}

    /** {@code java [fast start flags] -cp CLASSPATH mainClass args...}. */
    public static List<String> command(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildProcess.javaBinary());
        cmd.addAll(ChildProcess.FAST_FLAGS);
        cmd.add("-Dthreadlab.parent=" + ProcessHandle.current().pid());
        cmd.add("-cp");
        cmd.add(ChildProcess.classPath());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts {@link #command}; the process is ended with this JVM (and by {@link TreeKiller#kill}).
     * Its stderr goes to this JVM's stderr.
     */
    public static Process start(String mainClass, String... args) {
        try {
            Process p = new ProcessBuilder(command(mainClass, args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            TreeKiller.register(p.toHandle());
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("could not start a JVM for " + mainClass + ": " + e.getMessage(), e);
        }
    }
}
