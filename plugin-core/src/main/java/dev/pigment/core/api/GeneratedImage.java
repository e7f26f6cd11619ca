package dev.pigment.core.api;

import dev.pigment.core.image.RgbImage;
import java.util.Objects;

/**
 * One output image and the seed that actually produced it, or {@link #NO_SEED} when nothing random was
 * drawn (a colour transfer, a deterministic fill, an edit at strength 0): front ends print and store a seed
 * only when {@link #seedUsed()}.
 */
public record GeneratedImage(RgbImage image, long seed) {
    public static final long NO_SEED = -1;

    public GeneratedImage {
        Objects.requireNonNull(image, "image");
    }

    public boolean seedUsed() {
        return seed != NO_SEED;
    }
}
