package dev.pigment.core.classic;

import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import java.util.SplittableRandom;

/** Synthetic images with known content, for the classic engines' tests. */
final class TestImages {
    private TestImages() {
    }

    /** Diagonal colour stripes of the given period: any hole has an exact, known continuation. */
    static RgbImage stripes(int w, int h, int period) {
        int n = w * h;
        float[] d = new float[3 * n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int phase = Math.floorMod(x + 2 * y, period);
                boolean on = phase < period / 2;
                int i = y * w + x;
                d[i] = on ? 0.85f : 0.15f;
                d[n + i] = on ? 0.35f : 0.7f;
                d[2 * n + i] = 0.2f + 0.6f * phase / period;
            }
        }
        return RgbImage.wrap(w, h, d);
    }

    /** A smooth gradient plus uniform noise in [-amp, amp]: textured, nothing repeats exactly. */
    static RgbImage noisyGradient(int w, int h, float amp, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = w * h;
        float[] d = new float[3 * n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                d[i] = clamp(0.2f + 0.6f * x / w + amp * (2 * (float) rnd.nextDouble() - 1));
                d[n + i] = clamp(0.3f + 0.4f * y / h + amp * (2 * (float) rnd.nextDouble() - 1));
                d[2 * n + i] = clamp(0.5f + amp * (2 * (float) rnd.nextDouble() - 1));
            }
        }
        return RgbImage.wrap(w, h, d);
    }

    /** The image with every pixel under the mask (above 0.5) set to magenta, so a fill must change it. */
    static RgbImage poisoned(RgbImage img, Mask mask) {
        float[] d = img.data().clone();
        int n = img.pixelCount();
        for (int i = 0; i < n; i++) {
            if (mask.data()[i] > 0.5f) {
                d[i] = 1f;
                d[n + i] = 0f;
                d[2 * n + i] = 1f;
            }
        }
        return RgbImage.wrap(img.width(), img.height(), d);
    }

    /** Union of rectangles. */
    static Mask rects(int w, int h, int[]... xywh) {
        float[] m = new float[w * h];
        for (int[] r : xywh) {
            for (int y = Math.max(0, r[1]); y < Math.min(h, r[1] + r[3]); y++) {
                for (int x = Math.max(0, r[0]); x < Math.min(w, r[0] + r[2]); x++) {
                    m[y * w + x] = 1f;
                }
            }
        }
        return Mask.wrap(w, h, m);
    }

    /** Mean squared error over the pixels where the mask is above 0.5. */
    static double holeMse(RgbImage a, RgbImage b, Mask mask) {
        int n = a.pixelCount();
        double sum = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (mask.data()[i] > 0.5f) {
                for (int c = 0; c < 3; c++) {
                    double d = a.data()[c * n + i] - b.data()[c * n + i];
                    sum += d * d;
                }
                count++;
            }
        }
        return sum / (3.0 * count);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
