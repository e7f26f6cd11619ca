package dev.pigment.core.image;

import java.awt.Rectangle;

/** Morphology and softening of masks: the operations that decide where an edit blends in. */
public final class MaskOps {
    private MaskOps() {
    }

    /** Grows the mask by {@code radius} pixels (max filter with a square window, separable). */
    public static Mask grow(Mask m, int radius) {
        checkRadius(radius);
        if (radius == 0) {
            return m;
        }
        return Mask.wrap(m.width(), m.height(), extremum(m.data(), m.width(), m.height(), radius, true));
    }

    /** Shrinks the mask by {@code radius} pixels (min filter). */
    public static Mask shrink(Mask m, int radius) {
        checkRadius(radius);
        if (radius == 0) {
            return m;
        }
        return Mask.wrap(m.width(), m.height(), extremum(m.data(), m.width(), m.height(), radius, false));
    }

    /**
     * Softens the mask edge with a Gaussian of standard deviation {@code radius/2}, then keeps every
     * pixel that was fully inside the original mask at 1, so the feather only extends outward and the
     * area the user selected is always repainted completely.
     */
    public static Mask feather(Mask m, int radius) {
        checkRadius(radius);
        if (radius == 0) {
            return m;
        }
        float[] blurred = gaussianBlur(m.data(), m.width(), m.height(), radius / 2.0);
        float[] src = m.data();
        for (int i = 0; i < blurred.length; i++) {
            blurred[i] = Math.max(src[i], Math.min(1f, blurred[i] * 2f));
        }
        return Mask.wrap(m.width(), m.height(), blurred);
    }

    /**
     * Softens the mask edge <em>inside</em> the selection: shrinks it by {@code radius}, blurs with a
     * Gaussian of standard deviation {@code radius/2}, and never exceeds the original mask. Where the
     * original mask is 0 the result is exactly 0, so an edit composited with it cannot change a pixel the
     * user did not select (krita-ai-diffusion's compositing mask: shrink, then blur). The radius is capped
     * at a quarter of the mask's shorter side, so a thin selection is still repainted.
     */
    public static Mask featherInside(Mask m, int radius) {
        checkRadius(radius);
        Rectangle b = bounds(m);
        if (b != null) {
            radius = Math.min(radius, Math.min(b.width, b.height) / 4);
        }
        if (radius == 0 || b == null) {
            return m;
        }
        float[] soft = gaussianBlur(shrink(m, radius).data(), m.width(), m.height(), radius / 2.0);
        float[] src = m.data();
        for (int i = 0; i < soft.length; i++) {
            soft[i] = src[i] <= 0f ? 0f : Math.min(src[i], soft[i]);
        }
        return Mask.wrap(m.width(), m.height(), soft);
    }

    /** The smallest rectangle holding every pixel above 0, or null for an empty mask. */
    public static Rectangle bounds(Mask m) {
        return m.bounds();
    }

    /** Separable Gaussian blur of one plane with edge clamping. */
    public static float[] gaussianBlur(float[] src, int w, int h, double sigma) {
        if (sigma <= 0) {
            return src.clone();
        }
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            double v = Math.exp(-(i * i) / (2 * sigma * sigma));
            k[i + r] = (float) v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        float[] tmp = new float[w * h];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int i = -r; i <= r; i++) {
                    int xx = Math.min(w - 1, Math.max(0, x + i));
                    acc += k[i + r] * src[row + xx];
                }
                tmp[row + x] = acc;
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int i = -r; i <= r; i++) {
                    int yy = Math.min(h - 1, Math.max(0, y + i));
                    acc += k[i + r] * tmp[yy * w + x];
                }
                out[y * w + x] = acc;
            }
        }
        return out;
    }

    private static float[] extremum(float[] src, int w, int h, int r, boolean max) {
        float[] tmp = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float best = src[y * w + x];
                for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
                    float v = src[y * w + xx];
                    best = max ? Math.max(best, v) : Math.min(best, v);
                }
                tmp[y * w + x] = best;
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float best = tmp[y * w + x];
                for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
                    float v = tmp[yy * w + x];
                    best = max ? Math.max(best, v) : Math.min(best, v);
                }
                out[y * w + x] = best;
            }
        }
        return out;
    }

    private static void checkRadius(int radius) {
        if (radius < 0) {
            throw new IllegalArgumentException("radius " + radius + " is negative");
        }
    }
}
