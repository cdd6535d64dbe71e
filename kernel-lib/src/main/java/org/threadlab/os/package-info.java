/**
 * What the operating system sees: threads of a process, processes and their tree, the machine, its
 * limits, samples over time. {@link org.threadlab.os.Os} is the entry point (Linux's /proc where it
 * exists, OSHI elsewhere); cells reach the same calls through {@code org.threadlab.ThreadLab}
 * ({@code ps()}, {@code pstree()}, ...).
 */
package org.threadlab.os;
