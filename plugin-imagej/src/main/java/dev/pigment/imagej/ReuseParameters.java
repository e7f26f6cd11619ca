package dev.pigment.imagej;

import dev.pigment.core.api.A1111Parameters;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.image.PngFiles;
import ij.IJ;
import ij.ImagePlus;
import ij.io.FileInfo;
import ij.plugin.PlugIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plugins>Pigment>Reuse Parameters: re-runs the command recorded in the current image's provenance with the
 * same options and seed: its {@code pigment.*} properties (kept in TIFF), else the {@code parameters} text of
 * the PNG it was opened from (written by the CLI or by Save as PNG with Parameters). For Text to Image that
 * regenerates the same pixels as a new image; an edit command runs again on the current image with the
 * recorded options, so to reproduce an edit, make the original source current (with its selection) first.
 */
public class ReuseParameters implements PlugIn {
    public static final String COMMAND = "Reuse Parameters";

    @Override
    public void run(String arg) {
        try {
            ImagePlus imp = IJ.getImage();
            String command = imp.getProp(ImageProvenance.COMMAND);
            String options = imp.getProp(ImageProvenance.OPTIONS);
            if (command == null || options == null) {
                Map<String, String> fromPng = pngParameters(imp);
                command = TextToImage.COMMAND;
                options = textToImageOptions(fromPng);
            } else if (!command.equals(TextToImage.COMMAND)) {
                IJ.log("Pigment: running " + command + " again on '" + imp.getTitle() + "' with " + options);
            }
            IJ.run(command, options);
        } catch (Throwable t) {
            Errors.report(COMMAND, t);
        }
    }

    private static Map<String, String> pngParameters(ImagePlus imp) {
        FileInfo fi = imp.getOriginalFileInfo();
        Path file = fi == null || fi.fileName == null || fi.directory == null ? null : Path.of(fi.getFilePath());
        String text = file != null && file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")
                && Files.isRegularFile(file) ? PngFiles.readText(file).get(PngFiles.PARAMETERS_KEY) : null;
        if (text == null) {
            throw PigmentException.badRequest("'" + imp.getTitle() + "' carries no Pigment parameters (no "
                    + ImageProvenance.COMMAND + " property, and it was not opened from a PNG with a 'parameters'"
                    + " text): use an image made by a Pigment command, a TIFF saved from one, or a PNG written by"
                    + " Pigment.");
        }
        return A1111Parameters.parse(text);
    }

    /** Only text-to-image can be replayed from a PNG alone: the edits' source image is not in the file. */
    static String textToImageOptions(Map<String, String> p) {
        String task = p.getOrDefault("task", "text-to-image");
        if (!task.equals("text-to-image")) {
            throw PigmentException.badRequest("This PNG was made by " + task + ", which needs its source image:"
                    + " open the source, select the area if any, and run the command with: " + p + ".");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : ImageJKeys.TEXT_TO_IMAGE) {
            if (p.containsKey(key)) {
                values.put(key, p.get(key));
            }
        }
        return ImageProvenance.macroOptions(values);
    }
}
