package dev.pigment.core.classic;

import dev.pigment.core.image.RgbImage;

/**
 * Near-white and near-black pixels of low saturation: the backgrounds and shadows a global colour transfer
 * should leave alone. A pixel's weight is 1 when it is fully such a neutral and fades to 0 over a small range,
 * so there is no visible edge.
 */
final class Neutrals {
    /** Above this minimum channel a pixel starts to count as white (fully from WHITE_FULL). */
    static final float WHITE_FROM = 0.86f;
    static final float WHITE_FULL = 0.94f;
    /** Below this maximum channel a pixel starts to count as black (fully below BLACK_FULL). */
    static final float BLACK_FROM = 0.10f;
    static final float BLACK_FULL = 0.04f;
    /** Saturation (max - min channel) above which a pixel is a colour, whatever its lightness. */
    static final float GREY_FULL = 0.06f;
    static final float GREY_TO = 0.14f;

    private Neutrals() {
    }

    /** Per pixel, how much it is a neutral white or black, in [0, 1]. */
    static float[] weights(RgbImage img) {
        int n = img.pixelCount();
        float[] d = img.data();
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            float r = d[i];
            float g = d[n + i];
            float b = d[2 * n + i];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float grey = ramp(max - min, GREY_TO, GREY_FULL);
            float extreme = Math.max(ramp(min, WHITE_FROM, WHITE_FULL), ramp(max, BLACK_FROM, BLACK_FULL));
            w[i] = grey * extreme;
        }
        return w;
    }

    /** 0 at {@code from}, 1 at {@code full}, linear between (either direction). */
    private static float ramp(float v, float from, float full) {
        float t = (v - from) / (full - from);
        return Math.max(0f, Math.min(1f, t));
    }

    /**
     * Mean and standard deviation per channel over pixels weighted by 1 - {@code neutral}; all pixels
     * equally when {@code neutral} is null or the image is almost all neutral.
     */
    static double[][] meanStd(float[] planar, int n, float[] neutral) {
        double total = 0;
        if (neutral != null) {
            for (float v : neutral) {
                total += 1 - v;
            }
        }
        if (neutral == null || total < 0.01 * n) {
            return ColorSpaces.meanStd(planar, n);
        }
        double[][] out = new double[2][3];
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += (1 - neutral[i]) * planar[c * n + i];
            }
            double mean = sum / total;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double d = planar[c * n + i] - mean;
                var += (1 - neutral[i]) * d * d;
            }
            out[0][c] = mean;
            out[1][c] = Math.sqrt(var / total);
        }
        return out;
    }

    /** Puts the source back into {@code rgb} by each pixel's neutral weight. */
    static void restore(float[] rgb, float[] source, float[] neutral) {
        int n = neutral.length;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                int k = c * n + i;
                rgb[k] += neutral[i] * (source[k] - rgb[k]);
            }
        }
    }
}
