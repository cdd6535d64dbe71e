/**
 * What runs inside the execution JVM: JShell's remote agent that runs cell N on a thread of the group
 * {@code cell-N} ({@link org.threadlab.agent.CellAgent}, the entry point, started by the kernel), the
 * routing of every thread's output to its cell, the thread and process watchdog, and the
 * {@link org.threadlab.agent.Dispatcher} that answers the kernel's typed requests
 * ({@link org.threadlab.agent.protocol}).
 */
package org.threadlab.agent;
