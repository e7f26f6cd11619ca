package dev.pigment.core.image;

import java.awt.image.BufferedImage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A planar float RGB image, values nominally in [0,1], stored as one flat array
 * {@code [r(0..n), g(0..n), b(0..n)]} with {@code n = width*height}, row-major.
 *
 * <p>Immutable by convention: methods return new images and never change {@code this}.
 * {@link #data()} exposes the backing array for fast engines; callers must not modify it
 * unless they created the image themselves with {@link #wrap}.
 *
 * <p>An image made by {@link #fromBgra} keeps its 8-bit bytes and converts them to floats only when its pixels are
 * first read, and {@link #crop} of such an image converts only the cropped region: a front end sends the whole
 * canvas, but an engine that returns it unchanged (empty mask) or reads only a context crop never pays for the rest.
 * {@link #paste} onto such an image stays 8-bit outside the patch, so an edit of a region of a large canvas is
 * composited, cropped and written back ({@link #toBgra}) without converting the canvas.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    /** The planar floats; null until a {@link #fromBgra} image is first read. */
    private volatile float[] data;
    /** The 8-bit BGRA source of a not yet converted image; null once converted. Guarded by this. */
    private byte[] bgra;
    /** A region pasted over the 8-bit source, not yet merged: null for none, and once converted. Guarded by this. */
    private RgbImage patch;
    /** Where {@link #patch} lies (its top-left corner may be outside the image; the rest is clipped). */
    private final int patchX;
    private final int patchY;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The alpha bytes of two BGRA pixels read as one little-endian long. */
    private static final long TWO_ALPHAS = 0xFF000000FF000000L;

    private RgbImage(int width, int height, float[] data) {
        this.width = width;
        this.height = height;
        this.data = data;
        this.patchX = 0;
        this.patchY = 0;
    }

    private RgbImage(int width, int height, byte[] bgra, RgbImage patch, int patchX, int patchY) {
        this.width = width;
        this.height = height;
        this.bgra = bgra;
        this.patch = patch;
        this.patchX = patchX;
        this.patchY = patchY;
    }

    /** The floats, converting the 8-bit source on first use (once, whichever thread asks first). */
    private float[] px() {
        float[] d = data;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            if (data == null) {
                float[] all = planarFromBgra(bgra, width, 0, 0, width, height);
                overlayPatch(all, 0, 0, width, height);
                data = all;
                bgra = null;
                patch = null;
            }
            return data;
        }
    }

    /** Whether this image's float pixels exist yet (false for a {@link #fromBgra} image nobody has read). */
    public boolean isConverted() {
        return data != null;
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
        return px();
    }

    /** Channel {@code c} (0=R,1=G,2=B) at (x,y). */
    public float get(int c, int x, int y) {
        return px()[c * width * height + y * width + x];
    }

    public RgbImage copy() {
        return new RgbImage(width, height, px().clone());
    }

    /** Packs into opaque ARGB ints, rounding and clamping to 8 bits. */
    public int[] toArgb() {
        float[] data = px();
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
        return new RgbImage(width, height, bgra, null, 0, 0);
    }

    /** The w x h region at (x,y) of a BGRA image {@code stride} pixels wide, as planar floats. */
    private static float[] planarFromBgra(byte[] bgra, int stride, int x, int y, int w, int h) {
        int m = w * h;
        float[] d = new float[3 * m];
        float[] unit = Unit8.TABLE;  // the same values as v / 255f, without a division per channel
        for (int row = 0; row < h; row++) {
            int in = 4 * ((y + row) * stride + x);
            int out = row * w;
            for (int i = 0; i < w; i++, in += 4, out++) {
                d[2 * m + out] = unit[bgra[in] & 0xFF];
                d[m + out] = unit[bgra[in + 1] & 0xFF];
                d[out] = unit[bgra[in + 2] & 0xFF];
            }
        }
        return d;
    }

    /**
     * Writes 8-bit BGRA bytes with opaque alpha. An unconverted image copies its source bytes (every 8-bit value
     * survives the float round trip exactly) and encodes only a pasted region.
     */
    public byte[] toBgra() {
        byte[] fromSource = toBgraFromSource();
        if (fromSource != null) {
            return fromSource;
        }
        float[] data = px();
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

    /** {@link #toBgra} from the 8-bit source and the patch, or null when the image is converted already. */
    private byte[] toBgraFromSource() {
        byte[] out;
        RgbImage p;
        synchronized (this) {
            if (data != null) {
                return null;
            }
            out = bgra.clone();
            p = patch;
        }
        int whole = out.length & ~7;
        for (int i = 0; i < whole; i += 8) {
            LONGS.set(out, i, (long) LONGS.get(out, i) | TWO_ALPHAS);
        }
        for (int i = whole + 3; i < out.length; i += 4) {
            out[i] = (byte) 0xFF;
        }
        if (p != null) {
            p.writeBgra(out, width, height, patchX, patchY);
        }
        return out;
    }

    /** Encodes this image into the BGRA bytes {@code out} of a {@code w x h} image, at (x,y), clipped. */
    private void writeBgra(byte[] out, int w, int h, int x, int y) {
        float[] d = px();
        int n = width * height;
        for (int row = Math.max(0, -y); row < height && y + row < h; row++) {
            for (int col = Math.max(0, -x); col < width && x + col < w; col++) {
                int i = row * width + col;
                int o = 4 * ((y + row) * w + x + col);
                out[o] = (byte) to8(d[2 * n + i]);
                out[o + 1] = (byte) to8(d[n + i]);
                out[o + 2] = (byte) to8(d[i]);
            }
        }
    }

    /**
     * Writes the pasted patch's pixels that fall inside the region (x,y,w,h) of this image into {@code d}, the
     * planar floats of that region. Guarded by this (the caller holds the lock).
     */
    private void overlayPatch(float[] d, int x, int y, int w, int h) {
        RgbImage p = patch;
        if (p == null) {
            return;
        }
        int x0 = Math.max(x, patchX);
        int x1 = Math.min(x + w, patchX + p.width);
        int y0 = Math.max(y, patchY);
        int y1 = Math.min(y + h, patchY + p.height);
        if (x1 <= x0 || y1 <= y0) {
            return;
        }
        float[] s = p.px();
        int m = p.width * p.height;
        int n = w * h;
        for (int c = 0; c < 3; c++) {
            for (int row = y0; row < y1; row++) {
                System.arraycopy(s, c * m + (row - patchY) * p.width + (x0 - patchX), d, c * n + (row - y) * w + (x0 - x),
                        x1 - x0);
            }
        }
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
        float[] data = px();
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
        synchronized (this) {
            if (data == null) {
                float[] d = planarFromBgra(bgra, width, x, y, w, h);
                overlayPatch(d, x, y, w, h);
                return new RgbImage(w, h, d);
            }
        }
        float[] data = px();
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

    /**
     * A copy of this image with {@code patch} written at (x,y); parts outside are clipped. Onto an unconverted
     * 8-bit image the copy shares the 8-bit source and keeps a copy of the patch: nothing outside it is converted.
     */
    public RgbImage paste(RgbImage patch, int x, int y) {
        synchronized (this) {
            if (data == null && this.patch == null) {
                return new RgbImage(width, height, bgra, patch.copy(), x, y);
            }
        }
        float[] d = px().clone();
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
                    System.arraycopy(patch.px(), c * m + row * patch.width + (x0 - x), d, c * n + ty * width + x0, x1 - x0);
                }
            }
        }
        return new RgbImage(width, height, d);
    }

    /**
     * Blends {@code topImage} over this image by {@code alpha} (same size): out = (1-a)*this + a*top.
     * Where alpha is exactly 0 the result is exactly this image's value.
     */
    public RgbImage blend(RgbImage topImage, Mask alpha) {
        if (topImage.width != width || topImage.height != height || alpha.width() != width || alpha.height() != height) {
            throw new IllegalArgumentException("blend of " + width + "x" + height + " with "
                    + topImage.width + "x" + topImage.height + " by mask " + alpha.width() + "x" + alpha.height());
        }
        int n = width * height;
        float[] a = alpha.data();
        float[] data = px();
        float[] top = topImage.px();
        float[] d = new float[3 * n];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                float m = a[i];
                int k = c * n + i;
                d[k] = m <= 0f ? data[k] : m >= 1f ? top[k] : data[k] + m * (top[k] - data[k]);
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
        float[] data = px();
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
                && Arrays.equals(other.px(), px());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(px());
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
