/**
 * The typed protocol between the ThreadLab kernel and its execution JVM: {@link org.threadlab.agent.protocol.Message}
 * (one record per message) and {@link org.threadlab.agent.protocol.Codec} (one line of JSON each). The kernel's
 * facade is {@code org.threadlab.kernel.exec.AgentClient}; the agent's is {@code org.threadlab.agent.Dispatcher}.
 */
package org.threadlab.agent.protocol;
