/**
 * Running work: threads ({@link org.threadlab.run.Threads}), thread pools, and child JVMs
 * ({@link org.threadlab.run.ChildJvm} for one task, {@link org.threadlab.run.ProcessPool} for many),
 * which take lambdas written in a notebook cell too: the child asks the parent for the cell's classes.
 * Cells reach them through {@code org.threadlab.ThreadLab} ({@code fork(..)}, {@code processPool(n)}).
 */
package org.threadlab.run;
