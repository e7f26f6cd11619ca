package dev.pigment.core.image;

/** Resampling of planar float images and masks. */
public final class Resize {
    private Resize() {
    }

    public static RgbImage bilinear(RgbImage src, int w, int h) {
        RgbImage.checkSize(w, h);
        if (w == src.width() && h == src.height()) {
            return src;
        }
        int n = src.pixelCount();
        int m = w * h;
        float[] out = new float[3 * m];
        for (int c = 0; c < 3; c++) {
            float[] plane = java.util.Arrays.copyOfRange(src.data(), c * n, (c + 1) * n);
            float[] r = plane(plane, src.width(), src.height(), w, h);
            System.arraycopy(r, 0, out, c * m, m);
        }
        return RgbImage.wrap(w, h, out);
    }

    public static Mask bilinear(Mask src, int w, int h) {
        if (w == src.width() && h == src.height()) {
            return src;
        }
        return Mask.wrap(w, h, plane(src.data(), src.width(), src.height(), w, h));
    }

    /**
     * Resamples one plane. Upscaling and mild downscaling use bilinear interpolation with pixel centres
     * aligned (like PIL/OpenCV); shrinking by 2x or more first box-averages so no detail aliases.
     */
    public static float[] plane(float[] src, int sw, int sh, int w, int h) {
        while (sw >= 2 * w && sh >= 2 * h) {
            int hw = sw / 2;
            int hh = sh / 2;
            float[] half = new float[hw * hh];
            for (int y = 0; y < hh; y++) {
                for (int x = 0; x < hw; x++) {
                    int i = 2 * y * sw + 2 * x;
                    half[y * hw + x] = 0.25f * (src[i] + src[i + 1] + src[i + sw] + src[i + sw + 1]);
                }
            }
            src = half;
            sw = hw;
            sh = hh;
        }
        float[] out = new float[w * h];
        float sx = (float) sw / w;
        float sy = (float) sh / h;
        for (int y = 0; y < h; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            float ty = fy - y0;
            for (int x = 0; x < w; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                float tx = fx - x0;
                float top = src[y0 * sw + x0] + tx * (src[y0 * sw + x1] - src[y0 * sw + x0]);
                float bot = src[y1 * sw + x0] + tx * (src[y1 * sw + x1] - src[y1 * sw + x0]);
                out[y * w + x] = top + ty * (bot - top);
            }
        }
        return out;
    }

    /** Nearest-neighbour resample of one plane (diffusers resizes inpaint masks to latent size this way). */
    public static float[] nearest(float[] src, int sw, int sh, int w, int h) {
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            int yy = Math.min(sh - 1, (int) ((long) y * sh / h));
            for (int x = 0; x < w; x++) {
                out[y * w + x] = src[yy * sw + Math.min(sw - 1, (int) ((long) x * sw / w))];
            }
        }
        return out;
    }
}
