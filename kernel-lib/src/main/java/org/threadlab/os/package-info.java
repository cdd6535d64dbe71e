/**
 * What the operating system sees: the threads of a process, processes and their tree, the
 * machine, its limits, samples over time and a live thread table. Cells reach it through
 * {@code org.threadlab.ThreadLab} ({@code ps()}, {@code pstree()}, {@code machine()},
 * {@code limits()}, {@code watch(..)}, {@code monitor()}); Java code calls {@link org.threadlab.os.Os},
 * the one entry point, whose results are data objects that print as text tables:
 *
 * <pre>{@code
 * import org.threadlab.os.*;
 *
 * ThreadList threads = Os.threads();                  // this JVM's OS threads, like ps -T -p PID
 * long running = threads.application().filter(t -> t.state() == 'R').size();
 * System.out.println(Os.tree());                      // PID 1 down to this JVM, like ps --forest
 * System.out.println(Os.limits().why());              // which limit on new threads binds first
 * }</pre>
 *
 * <p><b>Where the facts come from.</b> {@code Os} asks one backend, chosen once when it loads:
 * on Linux with a readable {@code /proc}, {@code ProcBackend} reads procfs (and the few sysfs files
 * for cgroup limits and CPU caches) directly, through {@code Procfs}, a reader of one tree at a
 * configurable root; on any other OS {@code OshiBackend} asks OSHI, and every result's
 * {@code unavailable()} names the fields that OS does not give. Both answer in the same types, so
 * tables keep their columns everywhere. Tests point a {@code ProcBackend} at recorded trees
 * ({@code src/test/resources/proc-fixtures}) to check the parsers on any OS.
 */
package org.threadlab.os;
