package dev.pigment.bridge;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.PngFiles;
import dev.pigment.core.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Images in and out of attachments. Raw formats are 8 bits per channel, row-major, no padding: {@code rgba8},
 * {@code bgra8} (Krita's U8 layout in memory) and, for masks, {@code gray8}; or a {@code png} file. Alpha is
 * ignored on input and 255 on output. Sizes are checked against the pixel limit before any pixel is decoded.
 */
final class Attachments {
    static final List<String> IMAGE_FORMATS = List.of("rgba8", "bgra8", "png");
    static final List<String> MASK_FORMATS = List.of("gray8", "png");
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final long maxPixels;

    Attachments(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** A described attachment: format, size and its bytes. */
    record Part(String format, int width, int height, byte[] bytes) {
    }

    /** Attachment {@code index} of {@code frame}, its descriptor checked. {@code what} names it in errors. */
    Part part(Frame frame, int index, String what, List<String> formats) throws ProtocolException {
        if (index < 0 || index >= frame.attachments().size()) {
            throw bad(what + " refers to attachment " + index + ", but the message has "
                    + frame.attachments().size() + ".");
        }
        JsonObject d = frame.header().getAsJsonArray("attachments").get(index).getAsJsonObject();
        String format = Json.string(d, "format", what + " format");
        if (!formats.contains(format)) {
            throw bad(what + " has format '" + format + "'; use one of " + formats + ".");
        }
        byte[] bytes = frame.attachments().get(index);
        int[] size = format.equals("png") ? pngSize(bytes, what) : new int[] {
            Json.integer(d, "width", 1, Integer.MAX_VALUE), Json.integer(d, "height", 1, Integer.MAX_VALUE)};
        long pixels = (long) size[0] * size[1];
        if (pixels > maxPixels) {
            throw new ProtocolException("too_large", what + " is " + size[0] + "x" + size[1] + " = " + pixels
                    + " pixels; this server accepts at most " + maxPixels + ". Work on a selection or scale down.", false);
        }
        int channels = format.equals("gray8") ? 1 : 4;
        if (!format.equals("png") && bytes.length != pixels * channels) {
            throw bad(what + " is " + size[0] + "x" + size[1] + " " + format + ", which is " + pixels * channels
                    + " bytes, but the attachment has " + bytes.length + ".");
        }
        return new Part(format, size[0], size[1], bytes);
    }

    RgbImage image(Part p) throws ProtocolException {
        return switch (p.format()) {
            case "bgra8" -> RgbImage.fromBgra(p.bytes(), p.width(), p.height());
            case "rgba8" -> RgbImage.fromBgra(swapRedBlue(p.bytes()), p.width(), p.height());
            default -> RgbImage.fromBufferedImage(decodePng(p));
        };
    }

    Mask mask(Part p) throws ProtocolException {
        if (p.format().equals("png")) {
            return Mask.fromBufferedImage(decodePng(p));
        }
        // Converted only when an engine reads it: an empty mask is known from its bytes.
        return Mask.fromGray8(p.bytes(), p.width(), p.height());
    }

    /** Encodes an output image; PNGs carry {@code text} as tEXt chunks (the provenance). */
    static Part encode(RgbImage image, String format, Map<String, String> text) {
        byte[] bytes = switch (format) {
            case "bgra8" -> image.toBgra();
            case "rgba8" -> swapRedBlue(image.toBgra());
            case "png" -> png(image, text);
            default -> throw new IllegalArgumentException("format " + format);
        };
        return new Part(format, image.width(), image.height(), bytes);
    }

    static JsonObject descriptor(Part p) {
        return FrameCodec.descriptor(p.format(), p.width(), p.height(), p.bytes().length);
    }

    private static byte[] png(RgbImage image, Map<String, String> text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PngFiles.write(image.toBufferedImage(), out, text);
        } catch (IOException e) {
            throw new IllegalStateException("PNG into memory failed", e);
        }
        return out.toByteArray();
    }

    private static byte[] swapRedBlue(byte[] in) {
        byte[] out = in.clone();
        for (int i = 0; i + 3 < out.length; i += 4) {
            out[i] = in[i + 2];
            out[i + 2] = in[i];
        }
        return out;
    }

    /** Width and height from the IHDR chunk, so a decompression bomb is refused before it is inflated. */
    private static int[] pngSize(byte[] b, String what) throws ProtocolException {
        if (b.length < 24 || !java.util.Arrays.equals(java.util.Arrays.copyOf(b, 8), PNG_SIGNATURE)) {
            throw bad(what + " is declared png but is not a PNG file.");
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        int w = buf.getInt(16);
        int h = buf.getInt(20);
        if (w <= 0 || h <= 0) {
            throw bad(what + " is a PNG of impossible size " + Integer.toUnsignedString(w) + "x"
                    + Integer.toUnsignedString(h) + ".");
        }
        return new int[] {w, h};
    }

    private static BufferedImage decodePng(Part p) throws ProtocolException {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.bytes()));
            if (img == null) {
                throw bad("a png attachment could not be decoded.");
            }
            return img;
        } catch (IOException | RuntimeException e) {
            throw bad("a png attachment is damaged: " + FrameCodec.abbreviate(e.getMessage()));
        }
    }

    static ProtocolException bad(String message) {
        return new ProtocolException("bad_request", message, false);
    }

    static boolean isInteger(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()
                && e.getAsDouble() == Math.rint(e.getAsDouble());
    }
}
