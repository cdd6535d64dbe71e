package org.threadlab.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Where {@link SourceDocs} finds sources beside a class path, and which declaration a JShell signature names. */
class SourceDocsTest {
    private static final String FOO = """
            package org.ex;

            /** A counter that threads share. */
            public class Foo {
                /** How many so far. */
                public int count;

                /** Makes one with nothing counted. */
                public Foo() { }

                /** Adds one. */
                public void add() { }

                /** Adds {@code n}. */
                public void add(int n) { }

                /** A step of the counter. */
                public record Step(int by) { }
            }
            """;

    @Test
    void srcBesideAnInstalledKernelsLibIsRead(@TempDir Path dir) throws IOException {
        Path jar = Files.createDirectories(dir.resolve("lib")).resolve("threadlab-kernel-lib.jar");
        Files.writeString(jar, "");
        Files.writeString(Files.createDirectories(dir.resolve("src/org/ex")).resolve("Foo.java"), FOO);
        SourceDocs docs = SourceDocs.forClassPath(List.of(jar.toString()), "");
        assertEquals(List.of(dir.resolve("src").toAbsolutePath().normalize()), docs.roots());
        assertEquals("A counter that threads share.", docs.javadoc("org.ex.Foo"));
        assertEquals("Adds one.", docs.javadoc("void org.ex.Foo.add()"));
        assertEquals("Adds {@code n}.", docs.javadoc("void Foo.add(int n)"), "the type as an import names it");
        assertEquals("Makes one with nothing counted.", docs.javadoc("org.ex.Foo()"));
        assertEquals("How many so far.", docs.javadoc("int org.ex.Foo.count"));
        assertEquals("A step of the counter.", docs.javadoc("org.ex.Foo.Step"));
        assertNull(docs.javadoc("void org.ex.Foo.missing()"));
        assertNull(docs.javadoc("java.lang.String"), "the JDK's are JShell's business");
    }

    @Test
    void aSourcesJarBesideTheJarIsRead(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("lib.jar");
        Files.writeString(jar, "");
        try (var zip = new ZipOutputStream(Files.newOutputStream(dir.resolve("lib-sources.jar")))) {
            zip.putNextEntry(new ZipEntry("org/ex/Foo.java"));
            zip.write(FOO.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        SourceDocs docs = SourceDocs.forClassPath(List.of(jar.toString()), "");
        assertEquals("A counter that threads share.", docs.javadoc("org.ex.Foo"));
        assertEquals("Adds one.", docs.javadoc("void Foo.add()"));
    }

    @Test
    void noSourcesMeansNoJavadocAndNoError(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("lonely.jar");
        Files.writeString(jar, "");
        SourceDocs docs = SourceDocs.forClassPath(List.of(jar.toString(), dir.resolve("gone").toString()), "");
        assertEquals(List.of(), docs.roots());
        assertNull(docs.javadoc("org.ex.Foo"));
    }
}
