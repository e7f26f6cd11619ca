package dev.pigment.core.pipeline;

import dev.pigment.core.image.RgbImage;

/**
 * A cheap preview of latents: a fixed linear projection from latent channels to RGB, no VAE call.
 * The projection belongs to the VAE, which the channel count identifies for the families Pigment runs:
 * 4 channels are Stable Diffusion's VAE, 16 channels FLUX.1's VAE (used by Z-Image). Other channel
 * counts fall back to a grey rendering of the channel mean.
 */
final class LatentPreview {
    /** SD 1.x approximation, as ComfyUI and A1111 use it (comfy/latent_formats.py, class SD15). */
    private static final Projection SD = new Projection(new float[][] {
            {0.3512f, 0.2297f, 0.3227f},
            {0.3250f, 0.4974f, 0.2350f},
            {-0.2829f, 0.1762f, 0.2721f},
            {-0.2120f, -0.2616f, -0.7177f},
    }, new float[3]);

    /**
     * FLUX.1's 16-channel VAE: the published factors and bias of ComfyUI's comfy/latent_formats.py,
     * class Flux. Like ours they apply to model-space latents ((z - shift) * scale).
     */
    private static final Projection FLUX = new Projection(new float[][] {
            {-0.0346f, 0.0244f, 0.0681f},
            {0.0034f, 0.0210f, 0.0687f},
            {0.0275f, -0.0668f, -0.0433f},
            {-0.0174f, 0.0160f, 0.0617f},
            {0.0859f, 0.0721f, 0.0329f},
            {0.0004f, 0.0383f, 0.0115f},
            {0.0405f, 0.0861f, 0.0915f},
            {-0.0236f, -0.0185f, -0.0259f},
            {-0.0245f, 0.0250f, 0.1180f},
            {0.1008f, 0.0755f, -0.0421f},
            {-0.0515f, 0.0201f, 0.0011f},
            {0.0428f, -0.0012f, -0.0036f},
            {0.0817f, 0.0765f, 0.0749f},
            {-0.1264f, -0.0522f, -0.1103f},
            {-0.0280f, -0.0881f, -0.0499f},
            {-0.1262f, -0.0982f, -0.0778f},
    }, new float[] {-0.0329f, -0.0718f, -0.0851f});

    private LatentPreview() {
    }

    /** Latents [C,h,w] (model space, as the denoiser sees them) to an h x w RGB preview. */
    static RgbImage render(float[] latents, int channels, int h, int w) {
        Projection p = channels == 4 ? SD : channels == 16 ? FLUX : Projection.grey(channels);
        int n = h * w;
        float[] out = new float[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float v = p.bias[c];
                for (int k = 0; k < channels; k++) {
                    v += latents[k * n + i] * p.factors[k][c];
                }
                out[c * n + i] = Math.min(1f, Math.max(0f, (v + 1f) / 2f));
            }
        }
        return RgbImage.wrap(w, h, out);
    }

    /** RGB = latent x factors + bias, per pixel. */
    private record Projection(float[][] factors, float[] bias) {
        static Projection grey(int channels) {
            float[][] mean = new float[channels][3];
            for (float[] row : mean) {
                java.util.Arrays.fill(row, 1f / channels);
            }
            return new Projection(mean, new float[3]);
        }
    }
}
