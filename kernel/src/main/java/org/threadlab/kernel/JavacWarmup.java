package org.threadlab.kernel;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;

/**
 * Compiles a throw-away class while JShell is still launching the execution JVM: the first
 * compilation loads and initialises most of javac, which JShell would otherwise do only when the
 * first cell arrives. Nothing is written to disk.
 */
final class JavacWarmup {
    private JavacWarmup() {}

    static void run() {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) return;
        StandardJavaFileManager std = javac.getStandardFileManager(null, null, null);
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///Warm.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return "import java.util.*; class Warm { int f(List<String> l) { return l.size() + 1; } }";
            }
        };
        var discard = new javax.tools.ForwardingJavaFileManager<>(std) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, javax.tools.FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return OutputStream.nullOutputStream();
                    }
                };
            }
        };
        javac.getTask(null, discard, d -> { }, List.of("-proc:none"), null, List.of(source)).call();
    }
}
