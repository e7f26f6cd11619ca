package dev.pigment.core.image;

import dev.pigment.core.api.PigmentException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.NodeList;

/**
 * Reads images and writes PNGs whose text chunks carry the generation parameters
 * (key {@code parameters}, the Automatic1111 format that ComfyUI and A1111 users know).
 */
public final class PngFiles {
    /** The tEXt key Automatic1111 and most viewers read the generation parameters from. */
    public static final String PARAMETERS_KEY = "parameters";

    private PngFiles() {
    }

    /** Reads an image through {@link ImageFiles#read} (header limits first, stored values). */
    public static BufferedImage read(Path file) {
        StoredPixels px = ImageFiles.read(file);
        return px.rgb().toBufferedImage();
    }

    public static RgbImage readRgb(Path file) {
        return ImageFiles.read(file).rgb();
    }

    public static Mask readMask(Path file) {
        return Mask.fromStored(ImageFiles.read(file));
    }

    /** Writes a PNG with the given tEXt entries, atomically (a temp file renamed into place). */
    public static void write(BufferedImage image, Path file, Map<String, String> text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = Files.createTempFile(parent, ".pigment-", ".png.tmp");
            try (OutputStream os = Files.newOutputStream(tmp)) {
                write(image, os, text);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw PigmentException.badRequest("Cannot write " + file + ": " + e.getMessage());
        }
    }

    public static void write(BufferedImage image, OutputStream out, Map<String, String> text) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
            if (!text.isEmpty()) {
                IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
                IIOMetadataNode iTXt = new IIOMetadataNode("iTXt");
                for (Map.Entry<String, String> e : text.entrySet()) {
                    // iTXt is UTF-8 (tEXt is Latin-1 only), so prompts in any script survive.
                    IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
                    entry.setAttribute("keyword", e.getKey());
                    entry.setAttribute("compressionFlag", "FALSE");
                    entry.setAttribute("compressionMethod", "0");
                    entry.setAttribute("languageTag", "");
                    entry.setAttribute("translatedKeyword", "");
                    entry.setAttribute("text", e.getValue());
                    iTXt.appendChild(entry);
                }
                root.appendChild(iTXt);
                meta.mergeTree("javax_imageio_png_1.0", root);
            }
            writer.write(new IIOImage(image, null, meta));
        } finally {
            writer.dispose();
        }
    }

    /** The tEXt/iTXt/zTXt entries of a PNG, in file order. */
    public static Map<String, String> readText(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return out;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                IIOMetadata meta = reader.getImageMetadata(0);
                if (!java.util.Arrays.asList(meta.getMetadataFormatNames()).contains("javax_imageio_png_1.0")) {
                    return out;
                }
                IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree("javax_imageio_png_1.0");
                collect(root, "tEXtEntry", "keyword", "value", out);
                collect(root, "iTXtEntry", "keyword", "text", out);
                collect(root, "zTXtEntry", "keyword", "text", out);
            } finally {
                reader.dispose();
            }
        } catch (NoSuchFileException e) {
            throw PigmentException.badRequest("Image file not found: " + file);
        } catch (IOException e) {
            throw PigmentException.badRequest("Cannot read " + file + ": " + e.getMessage());
        }
        return out;
    }

    private static void collect(IIOMetadataNode root, String tag, String keyAttr, String valueAttr, Map<String, String> out) {
        NodeList nodes = root.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            IIOMetadataNode n = (IIOMetadataNode) nodes.item(i);
            out.put(n.getAttribute(keyAttr), n.getAttribute(valueAttr));
        }
    }
}
