package org.threadlab.kernel;

import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * JShell's file manager, with one change: what JShell's background class index covers. That index
 * is only used to complete package names ({@code import java.ut|}); building it at start cost a
 * core for ~0.2 s while the kernel started, and ~17 MB of the kernel's heap for good. So it is
 * built at the first completion request ({@link #enable}), and over the {@code java.base} module
 * and the class path only, not all ~70 modules of the JDK (desktop, XML, tools and internals,
 * which a lesson never imports by package). javac is unaffected: it never asks for locations as
 * paths (only JShell's indexer does).
 */
final class PackageIndexScope extends ForwardingJavaFileManager<StandardJavaFileManager> implements StandardJavaFileManager {
    private volatile boolean enabled;

    PackageIndexScope(StandardJavaFileManager standard) {
        super(standard);
    }

    /** Lets the index cover its paths from now on; true the first time (the caller then makes JShell re-index). */
    boolean enable() {
        if (enabled) return false;
        enabled = true;
        return true;
    }

    @Override
    public Iterable<? extends Path> getLocationAsPaths(Location location) {
        boolean indexed = location == StandardLocation.PLATFORM_CLASS_PATH || location == StandardLocation.CLASS_PATH
                || location == StandardLocation.SOURCE_PATH;
        if (indexed && !enabled) return List.of();
        if (location == StandardLocation.PLATFORM_CLASS_PATH) {
            try {
                return List.of(FileSystems.getFileSystem(URI.create("jrt:/")).getPath("modules", "java.base"));
            } catch (RuntimeException e) {
                // no runtime image (an exploded JDK): index what JShell would
            }
        }
        return fileManager.getLocationAsPaths(location);
    }

    // ---- the rest forwards to the standard file manager ----

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromFiles(Iterable<? extends File> files) {
        return fileManager.getJavaFileObjectsFromFiles(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromPaths(Collection<? extends Path> paths) {
        return fileManager.getJavaFileObjectsFromPaths(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(File... files) {
        return fileManager.getJavaFileObjects(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(Path... paths) {
        return fileManager.getJavaFileObjects(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromStrings(Iterable<String> names) {
        return fileManager.getJavaFileObjectsFromStrings(names);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(String... names) {
        return fileManager.getJavaFileObjects(names);
    }

    @Override
    public void setLocation(Location location, Iterable<? extends File> files) throws IOException {
        fileManager.setLocation(location, files);
    }

    @Override
    public void setLocationFromPaths(Location location, Collection<? extends Path> paths) throws IOException {
        fileManager.setLocationFromPaths(location, paths);
    }

    @Override
    public void setLocationForModule(Location location, String moduleName, Collection<? extends Path> paths) throws IOException {
        fileManager.setLocationForModule(location, moduleName, paths);
    }

    @Override
    public Iterable<? extends File> getLocation(Location location) {
        return fileManager.getLocation(location);
    }

    @Override
    public Path asPath(FileObject file) {
        return fileManager.asPath(file);
    }

    @Override
    public void setPathFactory(PathFactory factory) {
        fileManager.setPathFactory(factory);
    }
}
