package dev.pigment.core.classic;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;

/**
 * Fills the hole with flat mid grey. The pre-fill krita-ai-diffusion uses when adding a new object: it
 * carries no colour from the surroundings, so the diffusion model is free to draw something new.
 */
public final class NeutralFill implements HoleFiller {
    public static final float GREY = 0.5f;

    @Override
    public String mode() {
        return "neutral";
    }

    @Override
    public RgbImage fill(RgbImage src, Mask hole, ProgressListener progress, CancellationToken cancel) {
        boolean[] h = Holes.of(src, hole);
        int n = src.pixelCount();
        float[] out = src.data().clone();
        for (int i = 0; i < n; i++) {
            if (h[i]) {
                out[i] = GREY;
                out[n + i] = GREY;
                out[2 * n + i] = GREY;
            }
        }
        cancel.throwIfCancelled();
        return RgbImage.wrap(src.width(), src.height(), out);
    }
}
