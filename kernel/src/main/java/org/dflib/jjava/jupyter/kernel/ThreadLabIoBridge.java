package org.dflib.jjava.jupyter.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;

/**
 * Lets ThreadLab's execution JVM attach its own reply environment to a {@link JupyterIO}, whose
 * {@code setEnv} is package-private in jjava-jupyter 1.0-a6. With it, {@code updateDisplay} of
 * jjava's notebook statics works in cells exactly as in JJava. Class path only (not a module).
 */
public final class ThreadLabIoBridge {
    private ThreadLabIoBridge() {}

    public static void attach(JupyterIO io, ShellReplyEnvironment env) {
        io.setEnv(env);
    }
}
