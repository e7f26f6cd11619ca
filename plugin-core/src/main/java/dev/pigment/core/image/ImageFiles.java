package dev.pigment.core.image;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads input images safely: the size comes from the file's header and is checked against the limits
 * before a single pixel is decoded, so a small file that claims (or really has) 20000x20000 pixels is
 * refused at once instead of filling the memory. Pixels are kept as stored ({@link StoredPixels}).
 */
public final class ImageFiles {
    /** The largest side an input may have: the same limit as {@code --width}/{@code --height}. */
    public static final int MAX_SIDE = GenerationRequest.MAX_SIDE;
    /** The most pixels an input may have (about 268 MB as int ARGB, 805 MB as float RGB). */
    public static final long MAX_PIXELS = (long) MAX_SIDE * MAX_SIDE;

    private ImageFiles() {
    }

    /** Reads an image (PNG, JPEG, BMP, GIF, TIFF) as stored; says clearly what was wrong otherwise. */
    public static StoredPixels read(Path file) {
        if (!Files.exists(file)) {
            throw PigmentException.badRequest("Image file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw PigmentException.badRequest(file + " is a folder, not an image file.");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw PigmentException.badRequest("Cannot read " + file + ": the file cannot be opened.");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw PigmentException.badRequest("Cannot read " + file + ": not a PNG, JPEG, BMP, GIF or TIFF image.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                checkSize(file, reader.getWidth(0), reader.getHeight(0));
                BufferedImage img = reader.read(0);
                return StoredPixels.of(img);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof PigmentException p) {
                throw p;
            }
            throw PigmentException.badRequest("Cannot read " + file + ": " + reason(e)
                    + ". The file is damaged or not an image; export it again as PNG.");
        }
    }

    /** Refuses sizes over the limits, naming the size and the limit. */
    static void checkSize(Path file, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw PigmentException.badRequest(file + " has no pixels (" + width + "x" + height + ").");
        }
        if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
            throw PigmentException.badRequest(file + " is " + width + "x" + height + " pixels; the limit is "
                    + MAX_SIDE + " pixels a side. Scale it down (or crop it) first.");
        }
    }

    private static String reason(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
