package dev.pigment.core.classic;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;

/**
 * Fills the hole of an image from its surroundings. The hole is every mask pixel above 0.5; the
 * returned image equals {@code src} bit for bit everywhere else (soft mask edges are blended by the
 * caller, see {@link ClassicEngine}). Used by the classic engine and as the cheap pre-fill of diffusion
 * inpainting; obtain one with {@link Fills#forMode(String)}.
 */
public interface HoleFiller {

    /** The mode name this filler answers to in {@link Fills#forMode(String)}, e.g. "patchmatch". */
    String mode();

    /**
     * @throws dev.pigment.core.api.PigmentException when nothing outside the hole can be copied from
     * @throws dev.pigment.core.api.CancelledException when {@code cancel} fires
     */
    RgbImage fill(RgbImage src, Mask hole, ProgressListener progress, CancellationToken cancel);

    default RgbImage fill(RgbImage src, Mask hole, CancellationToken cancel) {
        return fill(src, hole, ProgressListener.NONE, cancel);
    }
}
