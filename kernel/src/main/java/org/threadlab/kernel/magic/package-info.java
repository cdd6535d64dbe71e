/**
 * The kernel's magics ({@code %threads}, {@code %stop}, {@code %reset}, {@code %%timeit}, ...), each one
 * class, all registered in {@link org.threadlab.kernel.magic.Magics#registerAll}, the one place to add one.
 */
package org.threadlab.kernel.magic;
