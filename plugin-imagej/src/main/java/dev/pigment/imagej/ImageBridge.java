package dev.pigment.imagej;

import dev.pigment.core.api.PigmentException;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/**
 * The one place where ImageJ pixels become Pigment pixels and back.
 *
 * <p>Mapping (documented in README): RGB channels are read and written as 8-bit values v/255. A greyscale
 * image (8, 16 or 32-bit) is read through its display range, v' = (v - min) / (max - min) clamped to [0,1],
 * into all three channels; results come back as the mean of R, G and B mapped through the same range
 * (rounded and clamped for 8 and 16-bit). An 8-bit image with a colour LUT is read as greyscale values, not
 * as the LUT's colours, so an index image keeps its indices' meaning.
 */
public final class ImageBridge {
    private ImageBridge() {
    }

    /** The processor's pixels as an RgbImage. */
    public static RgbImage toRgb(ImageProcessor ip) {
        int w = ip.getWidth();
        int h = ip.getHeight();
        if (ip instanceof ColorProcessor cp) {
            return RgbImage.fromArgb((int[]) cp.getPixels(), w, h);
        }
        int n = w * h;
        double min = ip.getMin();
        double range = ip.getMax() - min;
        float[] d = new float[3 * n];
        for (int i = 0; i < n; i++) {
            double v = range > 0 ? (ip.getf(i) - min) / range : 0;
            float f = (float) Math.max(0, Math.min(1, v));
            d[i] = f;
            d[n + i] = f;
            d[2 * n + i] = f;
        }
        return RgbImage.wrap(w, h, d);
    }

    /**
     * Writes {@code image} into {@code target} (same size) where {@code where} is above 0, or everywhere when
     * {@code where} is null, skipping pixels the engine returned unchanged. Pixels where the mask is 0 are not
     * touched, so they stay bit-identical; so do pixels an edit left as they were (strength 0).
     */
    public static void write(RgbImage image, ImageProcessor target, Mask where) {
        write(image, target, where, true);
    }

    /** Writes every pixel of {@code image} into a new processor {@code target} (same size). */
    static void writeAll(RgbImage image, ImageProcessor target) {
        write(image, target, null, false);
    }

    private static void write(RgbImage image, ImageProcessor target, Mask where, boolean skipUnchanged) {
        int w = target.getWidth();
        int h = target.getHeight();
        if (image.width() != w || image.height() != h) {
            throw new PigmentException(dev.pigment.core.api.ErrorCode.RUNTIME, "The engine returned a "
                    + image.width() + "x" + image.height() + " image for a " + w + "x" + h + " canvas.");
        }
        float[] d = image.data();
        float[] m = where == null ? null : where.data();
        // What the engine saw: a pixel it returned unchanged is not written, so values the mapping cannot
        // represent (greys outside the display range, the top byte of RGB) survive an edit that left them alone.
        float[] seen = skipUnchanged ? toRgb(target).data() : null;
        int n = w * h;
        boolean rgb = target instanceof ColorProcessor;
        double min = target.getMin();
        double range = target.getMax() - min;
        for (int i = 0; i < n; i++) {
            if (m != null && !(m[i] > 0f)
                    || seen != null && d[i] == seen[i] && d[n + i] == seen[n + i] && d[2 * n + i] == seen[2 * n + i]) {
                continue;
            }
            if (rgb) {
                // Keep the pixel's top byte: ImageJ ignores it, but an unchanged colour stays bit-identical.
                target.set(i, target.get(i) & 0xff000000 | RgbImage.to8(d[i]) << 16 | RgbImage.to8(d[n + i]) << 8
                        | RgbImage.to8(d[2 * n + i]));
            } else {
                double lum = (d[i] + d[n + i] + d[2 * n + i]) / 3.0;
                target.setf(i, (float) grey(target, min + lum * range));
            }
        }
    }

    private static double grey(ImageProcessor target, double v) {
        return switch (target.getBitDepth()) {
            case 8 -> Math.max(0, Math.min(255, Math.round(v)));
            case 16 -> Math.max(0, Math.min(65535, Math.round(v)));
            default -> v;
        };
    }

    /** A new RGB image holding {@code image}. */
    public static ImagePlus newRgb(String title, RgbImage image) {
        return new ImagePlus(title, new ColorProcessor(image.width(), image.height(), image.toArgb()));
    }

    /**
     * A new processor of {@code like}'s type and display range holding {@code image} (size of {@code image}),
     * for results that keep the source's type.
     */
    public static ImageProcessor newLike(ImageProcessor like, RgbImage image) {
        ImageProcessor ip = like.createProcessor(image.width(), image.height());
        if (!(ip instanceof ColorProcessor)) {
            ip.setMinAndMax(like.getMin(), like.getMax());
        }
        writeAll(image, ip);
        return ip;
    }
}
