package dev.pigment.core.cli;

import dev.pigment.core.api.GeneratedImage;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.image.ImageFormat;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.OutputFiles;
import dev.pigment.core.image.PngFiles;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.image.StoredPixels;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a result's images (and their {@code -raw} companions) all or nothing, in the format the
 * output name asks for, at the precision and with the alpha of the edited source when there is one.
 */
final class ResultWriter {
    private final Path output;
    private final ImageFormat format;
    private final int upscale;
    private final StoredPixels source;

    /**
     * @param source the edited input as stored, or null (text to image): its bit depth, greyness and
     *               alpha carry over to the output
     */
    ResultWriter(Path output, int upscale, StoredPixels source) {
        this.output = output;
        this.format = ImageFormat.forFile(output);
        this.upscale = upscale;
        this.source = source;
    }

    /** Checks up front what can be known before generating. */
    void checkBatch(int batch) {
        if (toStdout() && batch > 1) {
            throw PigmentException.badRequest("-o " + output + " writes one image to standard output; use --batch 1 or a"
                    + " file name.");
        }
    }

    boolean toStdout() {
        return OutputFiles.isStdout(output);
    }

    /** Writes every image; returns the paths written and adds notes on what could not be kept. */
    List<Path> write(GenerationResult result, OutputStream stdout, List<String> notes) {
        List<Path> paths = new ArrayList<>();
        int count = result.images().size();
        try (OutputFiles files = new OutputFiles(stdout)) {
            for (int i = 0; i < count; i++) {
                GeneratedImage img = result.images().get(i);
                Path path = count == 1 ? output : GenerationCommand.numbered(output, "-" + (i + 1));
                Map<String, String> text = Map.of(PngFiles.PARAMETERS_KEY, result.provenance().toA1111Text(img.seed()));
                StoredPixels px = pixels(img.image(), notes);
                if (upscale > 1 && !toStdout()) {
                    files.stage(GenerationCommand.numbered(path, "-raw"), out -> format.encode(px, text, out));
                }
                StoredPixels shown = upscale > 1 ? upscaled(px) : px;
                files.stage(path, out -> format.encode(shown, text, out));
                paths.add(path);
            }
            files.commit();
        }
        if (!format.storesParameters()) {
            notes.add("The parameters are stored only in PNG files; " + format + " has no place for them.");
        }
        return paths;
    }

    private StoredPixels pixels(RgbImage image, List<String> notes) {
        if (source == null) {
            return new StoredPixels(image, null, 8, false);
        }
        Mask alpha = source.alpha();
        if (alpha != null && (alpha.width() != image.width() || alpha.height() != image.height())) {
            notes.add("The input's transparency was dropped: the result has a different size.");
            alpha = null;
        }
        if (source.hasTransparency() && !format.storesAlpha()) {
            notes.add("The input's transparency was dropped: " + format + " cannot store it.");
        }
        return new StoredPixels(image, alpha, source.bitsPerSample(), source.grey());
    }

    private StoredPixels upscaled(StoredPixels px) {
        RgbImage big = px.rgb().resize(px.rgb().width() * upscale, px.rgb().height() * upscale);
        return new StoredPixels(big, null, px.bitsPerSample(), px.grey());
    }
}
