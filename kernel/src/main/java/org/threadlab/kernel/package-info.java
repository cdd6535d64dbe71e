/**
 * The Jupyter kernel: {@link org.threadlab.kernel.ThreadLabKernel} (the entry point; protocol handlers,
 * history) over a {@link org.threadlab.kernel.Session} (one JShell and its execution JVM, with what a
 * restart replays), {@link org.threadlab.kernel.CellOutput} (output by cell) and
 * {@link org.threadlab.kernel.LimitPolicy} (what passing the thread or process limit does).
 * {@link org.threadlab.kernel.Main} starts it from a connection file.
 */
package org.threadlab.kernel;
