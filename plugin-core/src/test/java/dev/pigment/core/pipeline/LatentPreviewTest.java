package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.image.RgbImage;
import org.junit.jupiter.api.Test;

/** The latent-to-RGB projections of the live preview, per VAE (channel count). */
class LatentPreviewTest {
    /** A 1x2 latent: pixel 0 has {@code value} in channel {@code k} only, pixel 1 is all zero. */
    private static float[] oneChannel(int channels, int k, float value) {
        float[] latents = new float[channels * 2];
        latents[k * 2] = value;
        return latents;
    }

    @Test
    void sixteenChannelLatentsUseFluxFactorsAndBiasNotGrey() {
        // FLUX.1 channel 9 is the warm one: factors (0.1008, 0.0755, -0.0421), bias (-0.0329, -0.0718, -0.0851).
        RgbImage p = LatentPreview.render(oneChannel(16, 9, 4f), 16, 1, 2);
        assertEquals((1 + 4 * 0.1008f - 0.0329f) / 2, p.get(0, 0, 0), 1e-5);
        assertEquals((1 + 4 * 0.0755f - 0.0718f) / 2, p.get(1, 0, 0), 1e-5);
        assertEquals((1 + 4 * -0.0421f - 0.0851f) / 2, p.get(2, 0, 0), 1e-5);
        assertTrue(p.get(0, 0, 0) - p.get(2, 0, 0) > 0.2f, "a red-leaning colour, not grey");
        // Zero latents give the bias alone.
        assertEquals((1 - 0.0329f) / 2, p.get(0, 1, 0), 1e-6);
        assertEquals((1 - 0.0851f) / 2, p.get(2, 1, 0), 1e-6);
        // Channel 13 (-0.1264, -0.0522, -0.1103) darkens all three.
        RgbImage dark = LatentPreview.render(oneChannel(16, 13, 4f), 16, 1, 2);
        for (int c = 0; c < 3; c++) {
            assertTrue(dark.get(c, 0, 0) < dark.get(c, 1, 0), "channel " + c + " darker");
        }
    }

    @Test
    void fourChannelLatentsKeepStableDiffusionFactorsAndOtherCountsFallBackToGrey() {
        RgbImage sd = LatentPreview.render(oneChannel(4, 3, 1f), 4, 1, 2);
        assertEquals((1 - 0.2120f) / 2, sd.get(0, 0, 0), 1e-6);
        assertEquals((1 - 0.7177f) / 2, sd.get(2, 0, 0), 1e-6);
        RgbImage grey = LatentPreview.render(oneChannel(8, 2, 1f), 8, 1, 2);
        assertEquals((1 + 1f / 8) / 2, grey.get(0, 0, 0), 1e-6);
        assertEquals(grey.get(0, 0, 0), grey.get(2, 0, 0), "grey: the same in every channel");
    }
}
