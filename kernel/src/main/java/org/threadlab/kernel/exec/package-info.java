/**
 * The execution JVM seen from the kernel. {@link org.threadlab.kernel.exec.ExecutionJvm} (the entry
 * point) launches it in its own process group and pids cgroup and is JShell's execution control;
 * beside it, one class per job: {@link org.threadlab.kernel.exec.AgentClient} (typed requests to the
 * agent), {@link org.threadlab.kernel.exec.CellStopper} (the interrupt-then-force escalation),
 * {@link org.threadlab.kernel.exec.ExitGuard} (System.exit blocked, death noticed),
 * {@link org.threadlab.kernel.exec.ProcessReaper} (process trees ended) and
 * {@link org.threadlab.kernel.exec.CrashReport} (why it died).
 */
package org.threadlab.kernel.exec;
