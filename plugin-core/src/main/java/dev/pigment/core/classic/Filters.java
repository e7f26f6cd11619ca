package dev.pigment.core.classic;

/** Linear-time smoothing of interleaved 3-channel images. */
final class Filters {
    private Filters() {
    }

    /** Box blur of side 2*radius+1 with edge clamping, by running sums (cost independent of radius). */
    static float[] boxBlur3(float[] img, int w, int h, int radius) {
        if (radius <= 0) {
            return img.clone();
        }
        float[] tmp = new float[img.length];
        float[] out = new float[img.length];
        float norm = 1f / (2 * radius + 1);
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int c = 0; c < 3; c++) {
                float acc = 0f;
                for (int i = -radius; i <= radius; i++) {
                    acc += img[3 * (row + clamp(i, w)) + c];
                }
                for (int x = 0; x < w; x++) {
                    tmp[3 * (row + x) + c] = acc * norm;
                    acc += img[3 * (row + clamp(x + radius + 1, w)) + c] - img[3 * (row + clamp(x - radius, w)) + c];
                }
            }
        }
        for (int x = 0; x < w; x++) {
            for (int c = 0; c < 3; c++) {
                float acc = 0f;
                for (int i = -radius; i <= radius; i++) {
                    acc += tmp[3 * (clamp(i, h) * w + x) + c];
                }
                for (int y = 0; y < h; y++) {
                    out[3 * (y * w + x) + c] = acc * norm;
                    acc += tmp[3 * (clamp(y + radius + 1, h) * w + x) + c] - tmp[3 * (clamp(y - radius, h) * w + x) + c];
                }
            }
        }
        return out;
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : Math.min(v, n - 1);
    }
}
