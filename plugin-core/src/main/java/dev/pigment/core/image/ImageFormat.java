package dev.pigment.core.image;

import dev.pigment.core.api.PigmentException;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;

/**
 * The output formats, chosen by the file name's extension: PNG (with the parameters text chunk, any
 * precision and alpha), JPEG (8-bit, no alpha, no parameters) and TIFF (any precision and alpha).
 */
public enum ImageFormat {
    PNG("png"), JPEG("jpeg"), TIFF("tiff");

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /**
     * The format a file name asks for; a name without extension (and {@code -}, standard output) is PNG.
     *
     * @throws PigmentException BAD_REQUEST for any other extension, before anything is generated
     */
    public static ImageFormat forFile(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        return switch (ext) {
            case "", "png" -> PNG;
            case "jpg", "jpeg" -> JPEG;
            case "tif", "tiff" -> TIFF;
            default -> throw PigmentException.badRequest("Cannot write '" + name + "': ." + ext
                    + " is not an output format. Use a name ending in .png, .jpg/.jpeg or .tif/.tiff.");
        };
    }

    /** Whether the format stores the generation parameters (PNG's text chunk). */
    public boolean storesParameters() {
        return this == PNG;
    }

    /** Whether the format can store an alpha channel. */
    public boolean storesAlpha() {
        return this != JPEG;
    }

    /** Encodes pixels in this format; text goes into PNG text chunks and is ignored by the others. */
    public void encode(StoredPixels px, Map<String, String> text, OutputStream out) throws IOException {
        if (this == PNG) {
            PngFiles.write(toBufferedImage(px, true, true), out, text);
            return;
        }
        BufferedImage img = toBufferedImage(px, this == TIFF, this == TIFF);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            if (!ImageIO.write(img, imageIoName, ios)) {
                throw new IOException("no " + imageIoName + " writer in this Java runtime");
            }
        }
    }

    /**
     * The pixels as an image with the given precision and channels: grey when the source was grey and
     * the result still is, 16 bits when the source had them (and the format allows), alpha when present.
     */
    static BufferedImage toBufferedImage(StoredPixels px, boolean allow16, boolean allowAlpha) {
        RgbImage rgb = px.rgb();
        boolean grey = px.grey() && isGrey(rgb);
        boolean alpha = allowAlpha && px.alpha() != null;
        boolean wide = allow16 && px.bitsPerSample() > 8;
        ColorSpace cs = ColorSpace.getInstance(grey ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ComponentColorModel cm = new ComponentColorModel(cs, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, wide ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
        int w = rgb.width();
        int h = rgb.height();
        int n = w * h;
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        int max = wide ? 65535 : 255;
        int colours = grey ? 1 : 3;
        float[] data = rgb.data();
        int[] samples = new int[n];
        for (int c = 0; c < colours; c++) {
            quantise(data, c * n, n, max, samples);
            raster.setSamples(0, 0, w, h, c, samples);
        }
        if (alpha) {
            quantise(px.alpha().data(), 0, n, max, samples);
            raster.setSamples(0, 0, w, h, colours, samples);
        }
        return new BufferedImage(cm, raster, false, null);
    }

    private static void quantise(float[] values, int offset, int n, int max, int[] out) {
        for (int i = 0; i < n; i++) {
            int q = Math.round(values[offset + i] * max);
            out[i] = q < 0 ? 0 : Math.min(q, max);
        }
    }

    private static boolean isGrey(RgbImage rgb) {
        float[] d = rgb.data();
        int n = rgb.pixelCount();
        for (int i = 0; i < n; i++) {
            if (d[i] != d[n + i] || d[i] != d[2 * n + i]) {
                return false;
            }
        }
        return true;
    }
}
