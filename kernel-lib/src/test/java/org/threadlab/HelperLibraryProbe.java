package org.threadlab;

import java.util.Map;

/**
 * Run in a JVM whose class path is the helper library and its own dependencies, without JUnit
 * (see {@link HelperLibraryWithoutJUnitTest}): what a stock JJava user who wants {@code ps()} loads.
 */
public final class HelperLibraryProbe {
    public static void main(String[] args) throws Exception {
        System.out.println("junit " + (ClassLoader.getSystemClassLoader().getResource("org/junit/platform/launcher/Launcher.class") != null));
        System.out.println("ps " + ThreadLab.ps().size());
        System.out.println("threads " + org.threadlab.run.Threads.start(3, i -> i * i).join().results());
        byte[] png = ThreadLab.bar("probe", Map.of("a", 1, "b", 2), "n").png();
        System.out.println("chart " + (png.length > 8 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G'));
    }
}
