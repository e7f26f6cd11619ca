package dev.pigment.core.pipeline;

import dev.pigment.core.image.RgbImage;

/**
 * A cheap preview of latents: a fixed linear projection from latent channels to RGB, no VAE call.
 * The factors for 4-channel latents are the SD 1.x approximation ComfyUI and A1111 use; other
 * channel counts fall back to a grey rendering of the channel mean.
 */
final class LatentPreview {
    private static final float[][] SD_FACTORS = {
            {0.3512f, 0.2297f, 0.3227f},
            {0.3250f, 0.4974f, 0.2350f},
            {-0.2829f, 0.1762f, 0.2721f},
            {-0.2120f, -0.2616f, -0.7177f},
    };

    private LatentPreview() {
    }

    /** Latents [C,h,w] (unscaled model space) to an h x w RGB preview. */
    static RgbImage render(float[] latents, int channels, int h, int w) {
        int n = h * w;
        float[] out = new float[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float v = 0;
                if (channels == SD_FACTORS.length) {
                    for (int k = 0; k < channels; k++) {
                        v += latents[k * n + i] * SD_FACTORS[k][c];
                    }
                } else {
                    for (int k = 0; k < channels; k++) {
                        v += latents[k * n + i];
                    }
                    v /= channels;
                }
                out[c * n + i] = Math.min(1f, Math.max(0f, (v + 1f) / 2f));
            }
        }
        return RgbImage.wrap(w, h, out);
    }
}
