package dev.pigment.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;

/**
 * An image's pixels as the file stores them: RGB in [0,1] at the file's own precision, and its alpha
 * channel when it has one.
 *
 * <p>{@link BufferedImage#getRGB} is avoided for greyscale and 16-bit images: for a grey image it
 * converts from Java's linear grey space to sRGB (a stored 60 came back as 133) and it reduces 16-bit
 * samples to 8. Here grey samples are replicated to R, G and B as stored, and 16-bit samples keep all
 * their levels (value / 65535 is exact enough in float to give every level back). Palettes and packed
 * RGB are sRGB already, so for them {@code getRGB} returns the stored values.
 *
 * @param alpha      the alpha channel, or null when the image has none
 * @param bitsPerSample 8 or 16: the precision the values came with (for writing them back unchanged)
 * @param grey       whether the file is greyscale
 */
public record StoredPixels(RgbImage rgb, Mask alpha, int bitsPerSample, boolean grey) {

    public static StoredPixels of(BufferedImage img) {
        if (img.getColorModel() instanceof ComponentColorModel cm && readsDirectly(cm)) {
            return fromRaster(img.getRaster(), cm);
        }
        return fromArgb(img);
    }

    /** Grey or sRGB component images (PNG grey, grey+alpha, RGB, RGBA at 8 or 16 bits). */
    private static boolean readsDirectly(ComponentColorModel cm) {
        int type = cm.getColorSpace().getType();
        boolean known = cm.getColorSpace().isCS_sRGB() || type == ColorSpace.TYPE_GRAY;
        return known && !cm.isAlphaPremultiplied() && cm.getComponentSize(0) <= 16;
    }

    private static StoredPixels fromRaster(Raster raster, ComponentColorModel cm) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int n = w * h;
        int colours = cm.getNumColorComponents();
        float[] rgb = new float[3 * n];
        float[] band = new float[n];
        for (int c = 0; c < 3; c++) {
            int source = colours == 1 ? 0 : c;
            if (c == 0 || colours > 1) {
                band = normalised(raster, source, cm.getComponentSize(source), w, h);
            }
            System.arraycopy(band, 0, rgb, c * n, n);
        }
        Mask alpha = null;
        if (cm.hasAlpha()) {
            int a = colours;
            alpha = Mask.wrap(w, h, normalised(raster, a, cm.getComponentSize(a), w, h));
        }
        int bits = cm.getComponentSize(0) > 8 ? 16 : 8;
        return new StoredPixels(RgbImage.wrap(w, h, rgb), alpha, bits, colours == 1);
    }

    private static float[] normalised(Raster raster, int band, int bits, int w, int h) {
        float[] out = raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, band, new float[w * h]);
        float max = (1 << bits) - 1;
        for (int i = 0; i < out.length; i++) {
            out[i] /= max;
        }
        return out;
    }

    private static StoredPixels fromArgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        Mask alpha = null;
        if (img.getColorModel().hasAlpha()) {
            float[] a = new float[w * h];
            for (int i = 0; i < a.length; i++) {
                a[i] = (argb[i] >>> 24) / 255f;
            }
            alpha = Mask.wrap(w, h, a);
        }
        boolean grey = img.getColorModel().getNumColorComponents() == 1;
        return new StoredPixels(RgbImage.fromArgb(argb, w, h), alpha, 8, grey);
    }

    /** Whether any pixel is less than fully opaque. */
    public boolean hasTransparency() {
        if (alpha == null) {
            return false;
        }
        for (float a : alpha.data()) {
            if (a < 1f) {
                return true;
            }
        }
        return false;
    }
}
