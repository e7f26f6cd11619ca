package dev.pigment.core.api;

import dev.pigment.core.image.RgbImage;
import java.util.Objects;

/** One output image and the seed that actually produced it. */
public record GeneratedImage(RgbImage image, long seed) {
    public GeneratedImage {
        Objects.requireNonNull(image, "image");
    }
}
