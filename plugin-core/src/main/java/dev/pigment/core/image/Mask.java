package dev.pigment.core.image;

import java.awt.image.BufferedImage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A single-channel mask with values in [0,1], row-major; 1 means "repaint", 0 means "keep".
 * Soft values (feathered edges) blend. Immutable by convention, like {@link RgbImage}.
 */
public final class Mask {
    private final int width;
    private final int height;
    /** The values; null until a {@link #fromGray8} mask is first read. */
    private volatile float[] data;
    /** The 8-bit source of a not yet converted mask; null once converted. Guarded by this. */
    private byte[] gray;
    /**
     * Whether the 8-bit source is all zeros: 0 not scanned yet, 1 empty, 2 not. The bytes never change, so an
     * engine asking for coverage and then emptiness (or a second engine) does not scan 16 MiB again.
     */
    private volatile int grayEmpty;
    /** The 8-bit source's bounds once found (an empty rectangle for an empty mask), else null. Guarded by this. */
    private java.awt.Rectangle grayBounds;

    /** Compared against with {@link Arrays#mismatch}, which the JIT vectorises; never written. */
    private static final byte[] ZEROS = new byte[1 << 14];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Mask(int width, int height, float[] data) {
        this.width = width;
        this.height = height;
        this.data = data;
    }

    private Mask(int width, int height, byte[] gray) {
        this.width = width;
        this.height = height;
        this.gray = gray;
    }

    /**
     * A mask from 8-bit values (0 = keep, 255 = repaint), row-major. The floats are made only when the values are
     * first read; {@link #isEmpty} and {@link #coverage} answer from the bytes, so an empty mask costs one scan.
     */
    public static Mask fromGray8(byte[] gray, int width, int height) {
        RgbImage.checkSize(width, height);
        if (gray.length != width * height) {
            throw new IllegalArgumentException("gray8 mask has " + gray.length + " bytes, expected "
                    + width + "*" + height);
        }
        return new Mask(width, height, gray);
    }

    /** The values, converting the 8-bit source on first use. */
    private float[] px() {
        float[] d = data;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            if (data == null) {
                float[] v = new float[gray.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Unit8.TABLE[gray[i] & 0xFF];
                }
                data = v;
                gray = null;
            }
            return data;
        }
    }

    /** The 8-bit source while the floats do not exist yet, else null. */
    private synchronized byte[] unconverted() {
        return data == null ? gray : null;
    }

    /** Whether the float values exist yet (false for a {@link #fromGray8} mask nobody has read). */
    public boolean isConverted() {
        return data != null;
    }

    public static Mask wrap(int width, int height, float[] values) {
        RgbImage.checkSize(width, height);
        if (values.length != width * height) {
            throw new IllegalArgumentException("mask data has " + values.length + " values, expected "
                    + width + "*" + height);
        }
        return new Mask(width, height, values);
    }

    public static Mask empty(int width, int height) {
        RgbImage.checkSize(width, height);
        return new Mask(width, height, new float[width * height]);
    }

    public static Mask full(int width, int height) {
        RgbImage.checkSize(width, height);
        float[] d = new float[width * height];
        Arrays.fill(d, 1f);
        return new Mask(width, height, d);
    }

    /** An axis-aligned rectangle of ones (clipped to the mask). */
    public static Mask rectangle(int width, int height, int x, int y, int w, int h) {
        Mask m = empty(width, height);
        for (int yy = Math.max(0, y); yy < Math.min(height, y + h); yy++) {
            for (int xx = Math.max(0, x); xx < Math.min(width, x + w); xx++) {
                m.data[yy * width + xx] = 1f;
            }
        }
        return m;
    }

    /**
     * A mask from an image's stored values (see {@link StoredPixels}): a grey image's values as they are,
     * the luminance of a colour one (white = repaint). If the image has an alpha channel, alpha is
     * multiplied in, so a transparent-background mask works too.
     */
    public static Mask fromBufferedImage(BufferedImage img) {
        return fromStored(StoredPixels.of(img));
    }

    /** See {@link #fromBufferedImage}. */
    public static Mask fromStored(StoredPixels px) {
        int n = px.rgb().pixelCount();
        float[] rgb = px.rgb().data();
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            float lum = px.grey() ? rgb[i] : 0.299f * rgb[i] + 0.587f * rgb[n + i] + 0.114f * rgb[2 * n + i];
            float a = px.alpha() == null ? 1f : px.alpha().data()[i];
            d[i] = Math.min(1f, Math.max(0f, lum * a));
        }
        return wrap(px.rgb().width(), px.rgb().height(), d);
    }

    public BufferedImage toBufferedImage() {
        float[] data = px();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) RgbImage.to8(data[i]);
        }
        return img;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array; see the class comment before writing to it. */
    public float[] data() {
        return px();
    }

    public float get(int x, int y) {
        return px()[y * width + x];
    }

    /** True when no pixel would be repainted. */
    public boolean isEmpty() {
        byte[] g = unconverted();
        if (g != null) {
            int known = grayEmpty;
            if (known == 0) {
                known = allZero(g) ? 1 : 2;
                grayEmpty = known;
            }
            return known == 1;
        }
        for (float v : px()) {
            if (v > 0f) {
                return false;
            }
        }
        return true;
    }

    /** Fraction of the area with value above 0.5. */
    public double coverage() {
        int c = 0;
        byte[] g = unconverted();
        if (g != null) {
            return isEmpty() ? 0.0 : (double) countHighBit(g) / g.length;
        }
        for (float v : px()) {
            if (v > 0.5f) {
                c++;
            }
        }
        return (double) c / (width * height);
    }

    private static boolean allZero(byte[] b) {
        return firstNonZero(b, 0, b.length) < 0;
    }

    /** The index of the first non-zero byte in [from, to), or -1. */
    private static int firstNonZero(byte[] b, int from, int to) {
        for (int at = from; at < to; at += ZEROS.length) {
            int end = Math.min(to, at + ZEROS.length);
            int i = Arrays.mismatch(b, at, end, ZEROS, 0, end - at);
            if (i >= 0) {
                return at + i;
            }
        }
        return -1;
    }

    /** Bytes of value 128 or more (128/255 is the first 8-bit value above 0.5): their top bit, eight at a time. */
    private static int countHighBit(byte[] b) {
        int c = 0;
        int whole = b.length & ~7;
        for (int i = 0; i < whole; i += 8) {
            c += Long.bitCount((long) LONGS.get(b, i) & 0x8080808080808080L);
        }
        for (int i = whole; i < b.length; i++) {
            c += (b[i] & 0x80) >>> 7;
        }
        return c;
    }

    /**
     * The smallest rectangle holding every value above 0, or null when there is none. An unconverted 8-bit mask
     * finds it from its bytes (all-zero rows skipped by a vectorised compare) and remembers it; the caller gets
     * its own copy to change.
     */
    public java.awt.Rectangle bounds() {
        byte[] g = unconverted();
        if (g == null) {
            return floatBounds(px());
        }
        java.awt.Rectangle b;
        synchronized (this) {
            if (grayBounds == null) {
                grayBounds = grayBounds(g);
            }
            b = grayBounds;
        }
        return b.isEmpty() ? null : new java.awt.Rectangle(b);
    }

    private java.awt.Rectangle grayBounds(byte[] g) {
        int x0 = width;
        int y0 = height;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            int first = firstNonZero(g, row, row + width);
            if (first < 0) {
                continue;
            }
            int last = row + width - 1;
            while (g[last] == 0) {
                last--;
            }
            x0 = Math.min(x0, first - row);
            x1 = Math.max(x1, last - row);
            y0 = Math.min(y0, y);
            y1 = y;
        }
        return x1 < 0 ? new java.awt.Rectangle() : new java.awt.Rectangle(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    private java.awt.Rectangle floatBounds(float[] d) {
        int x0 = width;
        int y0 = height;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (d[y * width + x] > 0f) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? null : new java.awt.Rectangle(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    /** The w x h region at (x,y), which must lie inside; an unconverted mask converts only that region. */
    public Mask crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y + " outside "
                    + width + "x" + height);
        }
        byte[] g = unconverted();
        float[] out = new float[w * h];
        if (g != null) {
            for (int row = 0; row < h; row++) {
                int in = (y + row) * width + x;
                for (int i = 0; i < w; i++) {
                    out[row * w + i] = Unit8.TABLE[g[in + i] & 0xFF];
                }
            }
        } else {
            float[] d = px();
            for (int row = 0; row < h; row++) {
                System.arraycopy(d, (y + row) * width + x, out, row * w, w);
            }
        }
        return new Mask(w, h, out);
    }

    /** Values above {@code threshold} become 1, the rest 0. */
    public Mask binarize(float threshold) {
        float[] data = px();
        float[] d = new float[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i] > threshold ? 1f : 0f;
        }
        return new Mask(width, height, d);
    }

    public Mask invert() {
        float[] data = px();
        float[] d = new float[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = 1f - data[i];
        }
        return new Mask(width, height, d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask other && other.width == width && other.height == height
                && Arrays.equals(other.px(), px());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(px());
    }

    @Override
    public String toString() {
        return "Mask[" + width + "x" + height + "]";
    }
}
