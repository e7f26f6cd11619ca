package dev.pigment.core.runtime;

/** How many of a model's components may be in memory at once. */
public enum MemoryPolicy {
    /** Every component stays loaded once used: fastest for repeated generations. */
    KEEP_LOADED,
    /**
     * Only the component in use is loaded (text encoder, then UNet, then VAE), so a model whose
     * components together exceed the free memory still runs, at the cost of reloading each time.
     */
    ONE_AT_A_TIME
}
