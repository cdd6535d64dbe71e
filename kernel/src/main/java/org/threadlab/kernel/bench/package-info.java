/** {@code ./threadlab bench kernel}'s in-process part: {@link org.threadlab.kernel.bench.KernelBench} (interrupt latency, output routing). */
package org.threadlab.kernel.bench;
