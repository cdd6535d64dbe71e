package org.threadlab.kernel;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Javadoc of the helper library's types and members, from its sources, for Shift+Tab. JShell finds
 * Javadoc only in the JDK's own {@code lib/src.zip}; for everything else its documentation has the
 * signature alone. This reads the Javadoc from the sources next to the class path:
 * {@code src/} beside an installed kernel's {@code lib/} (the launcher copies the library's sources
 * there), {@code NAME-sources.jar} beside {@code NAME.jar}, {@code src/main/java} of a Maven module
 * whose {@code target/classes} or {@code target/NAME.jar} is on the class path, and the folders or jars in
 * {@code -Dthreadlab.sources} (path separator between them).
 *
 * <pre>{@code
 * SourceDocs docs = SourceDocs.forClassPath(config.cellClassPath());
 * docs.javadoc("org.threadlab.grading.exercises.Account");   // "A bank account that many threads use at once ..."
 * }</pre>
 */
final class SourceDocs {
    private final List<Path> roots;
    /** Source file (relative, "org/x/Y.java") to its text, or empty when no root has it. */
    private final Map<String, Optional<String>> texts = new ConcurrentHashMap<>();
    private final Map<String, Optional<List<Doc>>> parsed = new ConcurrentHashMap<>();

    /** One documented declaration of a file: its path of names ("Account", "transfer"), parameter count (-1: not a method), comment. */
    private record Doc(List<String> names, int parameters, String comment) {}

    SourceDocs(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The source roots for {@code classPath}, as the class comment lists them; only those that exist. */
    static SourceDocs forClassPath(List<String> classPath) {
        return forClassPath(classPath, System.getProperty("threadlab.sources", ""));
    }

    /** {@link #forClassPath(List)} with {@code extra} in place of {@code -Dthreadlab.sources}. */
    static SourceDocs forClassPath(List<String> classPath, String extra) {
        List<Path> roots = new ArrayList<>();
        for (String s : extra.split(java.io.File.pathSeparator)) if (!s.isBlank()) add(roots, Path.of(s));
        for (String entry : classPath) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (name.endsWith(".jar")) {
                add(roots, p.resolveSibling(name.substring(0, name.length() - 4) + "-sources.jar"));
                if (p.getParent() != null) add(roots, p.getParent().resolveSibling("src"));
                // a module's own jar, as Maven's reactor hands it to the modules built after it
                if (p.getParent() != null && p.getParent().getFileName() != null
                        && p.getParent().getFileName().toString().equals("target")) {
                    add(roots, p.getParent().resolveSibling("src").resolve("main").resolve("java"));
                }
            } else if (Files.isDirectory(p) && name.equals("classes") && p.getParent() != null
                    && p.getParent().getFileName().toString().equals("target")) {
                add(roots, p.getParent().resolveSibling("src").resolve("main").resolve("java"));
            }
        }
        return new SourceDocs(roots);
    }

    private static void add(List<Path> roots, Path p) {
        if ((Files.isDirectory(p) || Files.isRegularFile(p)) && !roots.contains(p)) roots.add(p);
    }

    List<Path> roots() {
        return roots;
    }

    /**
     * The Javadoc of what a JShell documentation signature names ({@code org.x.Account},
     * {@code boolean org.x.Account.transfer(org.x.Account, long)}, a constructor, a field), or null
     * when no source has it. For overloads, the first with as many parameters.
     */
    String javadoc(String signature) {
        if (roots.isEmpty() || signature == null) return null;
        int paren = signature.indexOf('(');
        String named;
        int parameters = -1;
        if (paren >= 0) {
            Matcher m = NAME_BEFORE_PAREN.matcher(signature.substring(0, paren));
            named = m.find() ? m.group(1) : null;
            parameters = countParameters(signature.substring(paren));
        } else {
            Matcher m = NAME.matcher(signature);
            String last = null;
            while (m.find()) last = m.group();
            named = last;
        }
        if (named == null) return null;
        List<String> candidates = new ArrayList<>();
        candidates.add(named);
        // JShell names a type as the cell knows it: "Account" when imported, a bare "ps" when statically imported
        String first = named.split("\\.")[0];
        for (String file : filesNamed(first + ".java")) {
            String pkg = file.substring(0, Math.max(0, file.length() - first.length() - ".java".length())).replace('/', '.');
            candidates.add(pkg + named);
        }
        if (!named.contains(".")) for (String owner : STATIC_OWNERS) candidates.add(owner + "." + named);
        for (String c : candidates) {
            String doc = javadoc(c.split("\\."), parameters);
            if (doc != null) return doc;
        }
        return null;
    }

    /** Types whose members the cells import statically (see {@link Session#DEFAULT_IMPORTS}). */
    private static final List<String> STATIC_OWNERS = Session.DEFAULT_IMPORTS.stream()
            .filter(i -> i.startsWith("import static ") && i.endsWith(".*;"))
            .map(i -> i.substring("import static ".length(), i.length() - ".*;".length())).toList();

    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*");
    private static final Pattern NAME_BEFORE_PAREN = Pattern.compile("([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)\\s*$");

    private String javadoc(String[] parts, int parameters) {
        // the longest prefix that is a source file is the top-level type; the rest are nested names
        for (int i = parts.length; i >= 1; i--) {
            String file = String.join("/", java.util.Arrays.copyOf(parts, i)) + ".java";
            Optional<List<Doc>> docs = parsed.computeIfAbsent(file, this::parse);
            if (docs.isEmpty()) continue;
            List<String> path = new ArrayList<>(List.of(parts).subList(i - 1, parts.length));
            // a constructor: the type's own name followed by its parameters
            if (parameters >= 0 && i == parts.length) path.add("<init>");
            for (Doc d : docs.get()) {
                if (d.names().equals(path) && (parameters < 0 || d.parameters() == parameters)) return d.comment();
            }
            for (Doc d : docs.get()) {
                if (d.names().equals(path)) return d.comment();
            }
            return null;
        }
        return null;
    }

    private volatile Map<String, List<String>> bySimpleName;

    /** The source files (relative paths) called {@code fileName} in any root; the roots are listed once. */
    private List<String> filesNamed(String fileName) {
        Map<String, List<String>> index = bySimpleName;
        if (index == null) {
            Map<String, List<String>> built = new java.util.HashMap<>();
            for (Path root : roots) {
                try {
                    if (Files.isDirectory(root)) {
                        try (var files = Files.walk(root)) {
                            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> built
                                    .computeIfAbsent(f.getFileName().toString(), k -> new ArrayList<>())
                                    .add(root.relativize(f).toString().replace(java.io.File.separatorChar, '/')));
                        }
                    } else {
                        try (FileSystem zip = FileSystems.newFileSystem(root); var files = Files.walk(zip.getPath("/"))) {
                            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> built
                                    .computeIfAbsent(f.getFileName().toString(), k -> new ArrayList<>())
                                    .add(f.toString().substring(1)));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // an unreadable root has nothing to offer
                }
            }
            bySimpleName = index = built;
        }
        return index.getOrDefault(fileName, List.of());
    }

    private static int countParameters(String parens) {
        int depth = 0, commas = 0;
        boolean any = false;
        for (char c : parens.toCharArray()) {
            if (c == '(' || c == '<') depth++;
            else if (c == ')' || c == '>') {
                if (--depth == 0) break;
            } else if (c == ',' && depth == 1) commas++;
            else if (!Character.isWhitespace(c) && depth >= 1) any = true;
        }
        return any ? commas + 1 : 0;
    }

    private Optional<List<Doc>> parse(String file) {
        Optional<String> text = texts.computeIfAbsent(file, this::read);
        if (text.isEmpty()) return Optional.empty();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) return Optional.empty();
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///" + file), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text.get();
            }
        };
        try {
            JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(source));
            Trees trees = Trees.instance(task);
            List<Doc> docs = new ArrayList<>();
            for (CompilationUnitTree unit : task.parse()) {
                for (Tree t : unit.getTypeDecls()) {
                    if (t instanceof ClassTree c) collect(trees, unit, new TreePath(new TreePath(unit), c), List.of(), docs);
                }
            }
            return Optional.of(docs);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void collect(Trees trees, CompilationUnitTree unit, TreePath path, List<String> outer, List<Doc> docs) {
        ClassTree c = (ClassTree) path.getLeaf();
        List<String> names = new ArrayList<>(outer);
        names.add(c.getSimpleName().toString());
        add(docs, names, -1, trees.getDocComment(path));
        for (Tree member : c.getMembers()) {
            TreePath mp = new TreePath(path, member);
            if (member instanceof ClassTree) {
                collect(trees, unit, mp, names, docs);
            } else if (member instanceof MethodTree m) {
                List<String> n = new ArrayList<>(names);
                n.add(m.getName().toString());
                add(docs, n, m.getParameters().size(), trees.getDocComment(mp));
            } else if (member instanceof VariableTree v) {
                List<String> n = new ArrayList<>(names);
                n.add(v.getName().toString());
                add(docs, n, -1, trees.getDocComment(mp));
            }
        }
    }

    private static void add(List<Doc> docs, List<String> names, int parameters, String comment) {
        if (comment != null && !comment.isBlank()) docs.add(new Doc(List.copyOf(names), parameters, stripMargins(comment)));
    }

    /** The comment's lines without the indentation javac leaves in front of each. */
    private static String stripMargins(String comment) {
        return comment.lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("").strip();
    }

    private Optional<String> read(String file) {
        for (Path root : roots) {
            try {
                if (Files.isDirectory(root)) {
                    Path p = root.resolve(file);
                    if (Files.isRegularFile(p)) return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
                } else {
                    try (FileSystem zip = FileSystems.newFileSystem(root)) {
                        Path p = zip.getPath(file);
                        if (Files.isRegularFile(p)) return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // an unreadable root: try the next
            }
        }
        return Optional.empty();
    }
}
