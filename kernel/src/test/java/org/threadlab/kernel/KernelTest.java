package org.threadlab.kernel;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel built in-process with its builder, request type by request type. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KernelTest {
    private ThreadLabKernel kernel;

    @BeforeAll
    void start() throws java.io.IOException {
        // the library's sources, wherever the module split puts them: the class path may hold the
        // library's jar from the local repository, which has no sources beside it
        try (var dirs = Files.walk(Path.of("..", "kernel-lib"), 4)) {
            System.setProperty("threadlab.sources", String.join(java.io.File.pathSeparator, dirs
                    .filter(p -> p.endsWith(Path.of("src", "main", "java")) && Files.isDirectory(p)).map(Path::toString).toList()));
        }
        // the index's wait is long here: what these tests assert is what the index finds, not how fast a busy machine builds it
        kernel = ThreadLabKernel.builder().config(KernelConfig.defaults()).packageIndexWait(java.time.Duration.ofSeconds(120)).build();
        kernel.start();
    }

    @AfterAll
    void stop() {
        System.clearProperty("threadlab.sources");
        kernel.onShutdown(false);
    }

    @Test
    void languageInfoSaysJavaAndItsVersion() {
        assertEquals("java", kernel.getLanguageInfo().getName());
        assertEquals(Runtime.version().toString(), kernel.getLanguageInfo().getVersion());
        assertEquals(".java", kernel.getLanguageInfo().getFileExtension());
    }

    @Test
    void completionOffersMethodsOfAClass() {
        String code = "Math.ma";
        ReplacementOptions options = kernel.complete(code, code.length());
        assertTrue(options.getReplacements().stream().anyMatch(r -> r.startsWith("max")), options.getReplacements().toString());
        assertEquals(5, options.getSourceStart(), "the replacement starts after the dot");
    }

    @Test
    void firstCompletionOfAPackageNameFindsIt() {
        // the package index is built at the first completion: that one must already see it
        String code = "import java.util.conc";
        assertTrue(kernel.complete(code, code.length()).getReplacements().contains("concurrent."),
                kernel.complete(code, code.length()).getReplacements().toString());
        String lib = "import org.threadlab.r";
        assertTrue(kernel.complete(lib, lib.length()).getReplacements().contains("run."), "the helper library's packages complete too");
    }

    @Test
    void completionKnowsNamesFromEarlierCells() {
        kernel.execute("int studentCount = 30;");
        String code = "student";
        assertTrue(kernel.complete(code, code.length()).getReplacements().contains("studentCount"));
    }

    @Test
    void inspectShowsSignatureAlsoWithCursorAtEndOfName() {
        String code = "Math.max";
        DisplayData d = kernel.inspect(code, code.length(), false);
        assertNotNull(d);
        assertTrue(d.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN).toString().contains("max(int a, int b)"));
    }

    private String inspectText(String code) {
        DisplayData d = kernel.inspect(code, code.length(), false);
        assertNotNull(d, code);
        return d.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN).toString();
    }

    @Test
    void inspectShowsTheJavadocOfLibraryAndExerciseTypesFromTheirSources() {
        kernel.execute("import org.threadlab.grading.exercises.Account;");
        String account = inspectText("Account");
        assertTrue(account.contains("A bank account that many threads use at once"), account);
        String transfer = inspectText("Account a = null; a.transfer");
        assertTrue(transfer.contains("Moves {@code amount} from this account to {@code to} as one step"), transfer);
        String time = inspectText("time");
        assertTrue(time.contains("time(") && time.lines().count() > 2, "signatures and their Javadoc: " + time);
        String ps = inspectText("ps");
        assertTrue(ps.contains("The OS threads of this JVM"), "the static import's Javadoc: " + ps);
    }

    @Test
    void isCompleteTellsCompleteIncompleteAndInvalid() {
        assertEquals(BaseKernel.IS_COMPLETE_YES, kernel.isComplete("int x = 1;"));
        assertEquals("    ", kernel.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals(BaseKernel.IS_COMPLETE_BAD, kernel.isComplete("int x = ) ;"));
    }

    @Test
    void historyKeepsExecutedCells() {
        kernel.execute("String remembered = \"yes\";");
        // executions through run(...) are recorded by the protocol handler; record one the same way here
        HistoryManager history = kernel.getHistoryManager();
        ((KernelHistory) history).add(999, "String remembered = \"yes\";", null);
        List<HistoryEntry> tail = history.lookupTail(5, EnumSet.noneOf(HistoryManager.ResultFlag.class));
        assertEquals("String remembered = \"yes\";", tail.get(tail.size() - 1).getInput());
        assertEquals(1, history.search("String remem*", 10, EnumSet.noneOf(HistoryManager.ResultFlag.class)).size());
    }

    @Test
    void timeMagicReportsWallAndCpuTimeAndRunsTheBody() {
        ThreadLabKernel.CellResult r = kernel.execute("%%time\nint timed = 7;");
        assertTrue(r.ok(), String.valueOf(r.error()));
        assertEquals("7", kernel.execute("timed").text());
    }

    @Test
    void classpathMagicAddsJarsForLaterCells(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/demo/Greeter.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package demo; public class Greeter { public static String hi() { return \"hi from a jar\"; } }");
        Path classes = dir.resolve("classes");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
        assertEquals(0, rc);
        assertTrue(kernel.execute("%classpath " + classes).ok());
        assertEquals("\"hi from a jar\"", kernel.execute("demo.Greeter.hi()").text());
    }

    @Test
    void mavenMagicResolvesAnArtifactForLaterCells(@TempDir Path cache) {
        // an artifact the build's own plugins depend on, so this also works offline; not on the kernel's class path
        System.setProperty("threadlab.cacheHome", cache.toString());
        try {
            assertFalse(kernel.execute("org.apache.commons.lang3.StringUtils.capitalize(\"x\")").ok(), "not there before");
            ThreadLabKernel.CellResult r = kernel.execute("%maven org.apache.commons:commons-lang3:3.17.0");
            assertTrue(r.ok(), String.valueOf(r.error()));
            assertEquals("\"Threads\"", kernel.execute("org.apache.commons.lang3.StringUtils.capitalize(\"threads\")").text());
            assertTrue(Files.exists(cache.resolve("threadlab/maven")), "resolved jars are cached for the next run");
        } finally {
            System.clearProperty("threadlab.cacheHome");
        }
    }

    @Test
    void mavenMagicExplainsACoordinateItCannotRead() {
        ThreadLabKernel.CellResult r = kernel.execute("%maven commons-lang3");
        assertFalse(r.ok());
        assertTrue(String.join("\n", r.error().traceback()).contains("group:artifact:version"), String.join("\n", r.error().traceback()));
    }

    @Test
    void anExecutionJvmThatCannotStartIsReportedWithTheJvmsOwnMessage() {
        KernelConfig d = KernelConfig.defaults();
        List<String> flags = new java.util.ArrayList<>(d.executionFlags());
        flags.add("-XX:+NoSuchThreadLabOption");
        KernelConfig broken = new KernelConfig(d.cellClassPath(), flags, d.extraStartup(), d.interruptGraceMs(),
                d.interruptForceMs(), d.startTimeoutMs(), d.maxThreads(), d.maxProcesses());
        ThreadLabKernel k = ThreadLabKernel.builder().config(broken).build();
        k.start();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> k.execute("1 + 1"));
            assertTrue(e.getMessage().contains("could not start") && e.getMessage().contains("NoSuchThreadLabOption"), e.getMessage());
        } finally {
            k.onShutdown(false);
        }
    }

    @Test
    void unknownCellMagicSaysWhichExist() {
        ThreadLabKernel.CellResult r = kernel.execute("%%nosuch\n1");
        assertFalse(r.ok());
        assertTrue(String.join("\n", r.error().traceback()).contains("%%time"));
    }

    @Test
    void helperLibraryIsImportedInEveryCell() {
        ThreadLabKernel.CellResult r = kernel.execute("Table.of(List.of(\"a\"), List.of(List.of(\"1\"))).size()");
        assertEquals("1", r.text(), String.valueOf(r.error()));
    }

    @Test
    void displayCallShowsNoIdAsValue() {
        ThreadLabKernel.CellResult r = kernel.execute("display(\"shown\")");
        assertTrue(r.ok());
        assertEquals(null, r.text());
    }

    @Test
    void cellSaysWhichOfItsThreadsAreStillRunningAndStopMagicEndsThem() {
        kernel.execute("new Thread(() -> { try { Thread.sleep(60_000); } catch (InterruptedException e) {} }, \"sleeper\").start();");
        var live = kernel.liveThreads(-1);
        assertTrue(live.stream().anyMatch(t -> t.name().equals("sleeper")), "the thread is listed");
        ThreadLabKernel.CellResult r = kernel.execute("%stop all");
        assertTrue(r.ok(), String.valueOf(r.error()));
        assertTrue(kernel.liveThreads(-1).stream().noneMatch(t -> t.name().equals("sleeper")), "the thread was stopped");
    }
}
