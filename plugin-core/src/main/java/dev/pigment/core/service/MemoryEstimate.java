package dev.pigment.core.service;

/**
 * The peak memory one job is expected to add to the process, by part (bytes). See docs/memory.md.
 *
 * @param weights     model weights that will be resident under the memory policy (0 when already loaded)
 * @param attention   the largest attention activation: buffers x CFG batch x heads x tokens^2 x 4 bytes
 * @param decoder     the VAE decoder's full-resolution activations for one tile
 * @param images      source, result and working copies of the images (float RGB)
 * @param runtime     ONNX Runtime's own overhead when no model is loaded yet
 */
public record MemoryEstimate(long weights, long attention, long decoder, long images, long runtime) {
    public long total() {
        return weights + attention + decoder + images + runtime;
    }

    /** Bytes as "1.2 GB" / "350 MB". */
    public static String human(long bytes) {
        double gb = bytes / 1e9;
        return gb >= 1 ? String.format(java.util.Locale.ROOT, "%.1f GB", gb)
                : String.format(java.util.Locale.ROOT, "%d MB", Math.max(1, Math.round(bytes / 1e6)));
    }
}
