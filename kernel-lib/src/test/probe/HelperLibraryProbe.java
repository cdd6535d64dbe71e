import java.util.Map;

import static org.threadlab.ThreadLab.*;

/**
 * Run by HelperLibraryWithoutJUnitTest as a source-file program (java -cp LIBRARY Probe.java), in a
 * JVM whose class path is the helper library and its own runtime dependencies: what a stock JJava
 * user who wants ps() loads. It is compiled there, against that class path only, so a call that
 * needed the grading module or JUnit would fail to compile.
 */
public final class HelperLibraryProbe {
    public static void main(String[] args) throws Exception {
        ClassLoader cl = ClassLoader.getSystemClassLoader();
        System.out.println("junit " + (cl.getResource("org/junit/platform/launcher/Launcher.class") != null
                || cl.getResource("org/junit/jupiter/api/Test.class") != null));
        System.out.println("grading " + (cl.getResource("org/threadlab/grading/Grader.class") != null));
        System.out.println("ps " + ps().size());
        System.out.println("threads " + threads(3, i -> i * i).join().results());
        byte[] png = bar("probe", Map.of("a", 1, "b", 2), "n").png();
        System.out.println("chart " + (png.length > 8 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G'));
    }
}
