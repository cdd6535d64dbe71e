package org.threadlab.run;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Stock JJava runs JShell with local execution: a cell's classes are defined in memory by a class
 * loader inside the kernel's JVM, which can load them but has no resource (no .class file) for them.
 * Here JShell runs in-process the same way, and a lambda written in a "cell" goes to a child JVM.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalExecutionTest {
    private static final String CELL_FORK = "ChildJvm.fork(() -> 6 * factor).get(java.time.Duration.ofSeconds(60))";
    private static final String CELL_POOL = "pool.map(List.of(1, 2, 3), x -> x * factor).toString()";

    @Test
    void cellLambdaGoesToAChildJvmUnderJShellsLocalExecution() {
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            assertEquals("42", run(shell));
        }
    }

    @Test
    void cellLambdaGoesToAChildJvmUnderALoaderThatHasNoResourcesLikeJJavas() {
        try (JShell shell = JShell.builder().executionEngine(new MemoryOnlyProvider(), Map.of()).build()) {
            assertEquals("42", run(shell));
            eval(shell, "var pool = new ProcessPool(1);");
            try {
                assertEquals("\"[7, 14, 21]\"", eval(shell, CELL_POOL));
            } finally {
                eval(shell, "pool.close();");
            }
        }
    }

    private static String run(JShell shell) {
        shell.addToClasspath(System.getProperty("java.class.path"));
        eval(shell, "import org.threadlab.run.*;");
        eval(shell, "import java.util.*;");
        eval(shell, "int factor = 7;");
        return eval(shell, CELL_FORK);
    }

    private static String eval(JShell shell, String code) {
        List<SnippetEvent> events = shell.eval(code);
        SnippetEvent last = events.get(events.size() - 1);
        assertNull(last.exception(), () -> code + " threw " + describe(last));
        assertEquals(Snippet.Status.VALID, last.status(), () -> code + ": " + shell.diagnostics(last.snippet()).map(d -> d.getMessage(null)).toList());
        return last.value();
    }

    private static String describe(SnippetEvent e) {
        return e.exception() instanceof jdk.jshell.EvalException ee ? ee.getExceptionClassName() + ": " + ee.getMessage() : String.valueOf(e.exception());
    }

    /**
     * Local execution with a loader that keeps class bytes in a map and defines classes from it,
     * but answers no resource for them: what JJava's loader delegate does.
     */
    static final class MemoryOnlyProvider implements ExecutionControlProvider {
        @Override
        public String name() {
            return "memory-only";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return new DirectExecutionControl(new MemoryOnlyDelegate());
        }
    }

    static final class MemoryOnlyDelegate implements LoaderDelegate {
        private final Map<String, byte[]> declared = new HashMap<>();
        private final Map<String, Class<?>> loaded = new HashMap<>();
        private final MemoryLoader loader = new MemoryLoader();

        MemoryOnlyDelegate() {
            Thread.currentThread().setContextClassLoader(loader);
        }

        @Override
        public void load(ExecutionControl.ClassBytecodes[] cbcs) throws ExecutionControl.ClassInstallException {
            boolean[] installed = new boolean[cbcs.length];
            for (int i = 0; i < cbcs.length; i++) {
                declared.put(cbcs[i].name(), cbcs[i].bytecodes());
                try {
                    loaded.put(cbcs[i].name(), loader.findClass(cbcs[i].name()));
                } catch (ClassNotFoundException e) {
                    throw new ExecutionControl.ClassInstallException(e.getMessage(), installed);
                }
                installed[i] = true;
            }
        }

        @Override
        public void classesRedefined(ExecutionControl.ClassBytecodes[] cbcs) {
            for (var c : cbcs) declared.put(c.name(), c.bytecodes());
        }

        @Override
        public void addToClasspath(String path) throws ExecutionControl.InternalException {
            for (String p : path.split(File.pathSeparator)) {
                try {
                    loader.add(Path.of(p).toUri().toURL());
                } catch (java.net.MalformedURLException e) {
                    throw new ExecutionControl.InternalException(e.getMessage());
                }
            }
        }

        @Override
        public Class<?> findClass(String name) throws ClassNotFoundException {
            Class<?> c = loaded.get(name);
            if (c == null) throw new ClassNotFoundException(name);
            return c;
        }

        final class MemoryLoader extends URLClassLoader {
            MemoryLoader() {
                super(new URL[0]);
            }

            void add(URL url) {
                addURL(url);
            }

            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = declared.get(name);
                return b == null ? super.findClass(name) : defineClass(name, b, 0, b.length, (CodeSource) null);
            }
        }
    }
}
