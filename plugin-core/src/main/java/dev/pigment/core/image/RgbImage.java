package dev.pigment.core.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * A planar float RGB image, values nominally in [0,1], stored as one flat array
 * {@code [r(0..n), g(0..n), b(0..n)]} with {@code n = width*height}, row-major.
 *
 * <p>Immutable by convention: methods return new images and never change {@code this}.
 * {@link #data()} exposes the backing array for fast engines; callers must not modify it
 * unless they created the image themselves with {@link #wrap}.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final float[] data;

    private RgbImage(int width, int height, float[] data) {
        this.width = width;
        this.height = height;
        this.data = data;
    }

    /** Wraps (does not copy) a planar array of length {@code 3*width*height}. */
    public static RgbImage wrap(int width, int height, float[] planar) {
        checkSize(width, height);
        if (planar.length != 3L * width * height) {
            throw new IllegalArgumentException("planar data has " + planar.length + " values, expected 3*"
                    + width + "*" + height);
        }
        return new RgbImage(width, height, planar);
    }

    /** A new image filled with one colour. */
    public static RgbImage filled(int width, int height, float r, float g, float b) {
        checkSize(width, height);
        int n = width * height;
        float[] d = new float[3 * n];
        Arrays.fill(d, 0, n, r);
        Arrays.fill(d, n, 2 * n, g);
        Arrays.fill(d, 2 * n, 3 * n, b);
        return new RgbImage(width, height, d);
    }

    /** Front ends pass sizes straight from user documents, so a bad size is the user's input, said plainly. */
    static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw dev.pigment.core.api.PigmentException.badRequest("The image is " + width + "x" + height
                    + " pixels, so there is nothing to work on: use an image (or selection) at least 1x1.");
        }
        if ((long) width * height > Integer.MAX_VALUE / 4) {
            throw dev.pigment.core.api.PigmentException.badRequest("The image is " + width + "x" + height
                    + " pixels, too large to hold in memory: scale it down or work on a selection.");
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int pixelCount() {
        return width * height;
    }

    /** The backing planar array; see the class comment before writing to it. */
    public float[] data() {
        return data;
    }

    /** Channel {@code c} (0=R,1=G,2=B) at (x,y). */
    public float get(int c, int x, int y) {
        return data[c * width * height + y * width + x];
    }

    public RgbImage copy() {
        return new RgbImage(width, height, data.clone());
    }

    /** Packs into opaque ARGB ints, rounding and clamping to 8 bits. */
    public int[] toArgb() {
        int n = width * height;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = 0xFF000000 | to8(data[i]) << 16 | to8(data[n + i]) << 8 | to8(data[2 * n + i]);
        }
        return out;
    }

    public static RgbImage fromArgb(int[] argb, int width, int height) {
        checkSize(width, height);
        int n = width * height;
        if (argb.length != n) {
            throw new IllegalArgumentException("argb has " + argb.length + " pixels, expected " + n);
        }
        float[] d = new float[3 * n];
        for (int i = 0; i < n; i++) {
            int p = argb[i];
            d[i] = ((p >> 16) & 0xFF) / 255f;
            d[n + i] = ((p >> 8) & 0xFF) / 255f;
            d[2 * n + i] = (p & 0xFF) / 255f;
        }
        return new RgbImage(width, height, d);
    }

    /** Reads 8-bit BGRA bytes (Krita's U8 RGBA layout in memory); alpha is ignored. */
    public static RgbImage fromBgra(byte[] bgra, int width, int height) {
        checkSize(width, height);
        int n = width * height;
        if (bgra.length != 4L * n) {
            throw new IllegalArgumentException("BGRA data has " + bgra.length + " bytes, expected 4*" + n);
        }
        float[] d = new float[3 * n];
        float[] unit = Unit8.TABLE;  // the same values as v / 255f, without a division per channel
        for (int i = 0; i < n; i++) {
            d[2 * n + i] = unit[bgra[4 * i] & 0xFF];
            d[n + i] = unit[bgra[4 * i + 1] & 0xFF];
            d[i] = unit[bgra[4 * i + 2] & 0xFF];
        }
        return new RgbImage(width, height, d);
    }

    /** Writes 8-bit BGRA bytes with opaque alpha. */
    public byte[] toBgra() {
        int n = width * height;
        byte[] out = new byte[4 * n];
        for (int i = 0; i < n; i++) {
            out[4 * i] = (byte) to8(data[2 * n + i]);
            out[4 * i + 1] = (byte) to8(data[n + i]);
            out[4 * i + 2] = (byte) to8(data[i]);
            out[4 * i + 3] = (byte) 0xFF;
        }
        return out;
    }

    /** The image's stored values (grey replicated, 16 bits kept); alpha is dropped: see {@link StoredPixels}. */
    public static RgbImage fromBufferedImage(BufferedImage img) {
        return StoredPixels.of(img).rgb();
    }

    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, toArgb(), 0, width);
        return img;
    }

    /** Rounds a [0,1] value to 0..255 with clamping. */
    public static int to8(float v) {
        int q = Math.round(v * 255f);
        return q < 0 ? 0 : Math.min(q, 255);
    }

    /** Quantises every value to the 8-bit grid, so in-memory results equal what a PNG round trip gives. */
    public RgbImage quantized8() {
        float[] d = new float[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = to8(data[i]) / 255f;
        }
        return new RgbImage(width, height, d);
    }

    /** The sub-image at (x,y) of size w x h, which must lie inside this image. */
    public RgbImage crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y + " outside "
                    + width + "x" + height);
        }
        int n = width * height;
        int m = w * h;
        float[] d = new float[3 * m];
        for (int c = 0; c < 3; c++) {
            for (int row = 0; row < h; row++) {
                System.arraycopy(data, c * n + (y + row) * width + x, d, c * m + row * w, w);
            }
        }
        return new RgbImage(w, h, d);
    }

    /** A copy of this image with {@code patch} written at (x,y); parts outside are clipped. */
    public RgbImage paste(RgbImage patch, int x, int y) {
        float[] d = data.clone();
        int n = width * height;
        int m = patch.width * patch.height;
        for (int c = 0; c < 3; c++) {
            for (int row = 0; row < patch.height; row++) {
                int ty = y + row;
                if (ty < 0 || ty >= height) {
                    continue;
                }
                int x0 = Math.max(0, x);
                int x1 = Math.min(width, x + patch.width);
                if (x1 > x0) {
                    System.arraycopy(patch.data, c * m + row * patch.width + (x0 - x), d, c * n + ty * width + x0, x1 - x0);
                }
            }
        }
        return new RgbImage(width, height, d);
    }

    /**
     * Blends {@code top} over this image by {@code alpha} (same size): out = (1-a)*this + a*top.
     * Where alpha is exactly 0 the result is exactly this image's value.
     */
    public RgbImage blend(RgbImage top, Mask alpha) {
        if (top.width != width || top.height != height || alpha.width() != width || alpha.height() != height) {
            throw new IllegalArgumentException("blend of " + width + "x" + height + " with "
                    + top.width + "x" + top.height + " by mask " + alpha.width() + "x" + alpha.height());
        }
        int n = width * height;
        float[] a = alpha.data();
        float[] d = new float[3 * n];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                float m = a[i];
                int k = c * n + i;
                d[k] = m <= 0f ? data[k] : m >= 1f ? top.data[k] : data[k] + m * (top.data[k] - data[k]);
            }
        }
        return new RgbImage(width, height, d);
    }

    /** Bilinear resize (area-averaging when shrinking by more than 2x). */
    public RgbImage resize(int newWidth, int newHeight) {
        return Resize.bilinear(this, newWidth, newHeight);
    }

    /** Mean of each channel. */
    public double[] channelMeans() {
        int n = width * height;
        double[] m = new double[3];
        for (int c = 0; c < 3; c++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += data[c * n + i];
            }
            m[c] = s / n;
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && other.width == width && other.height == height
                && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
