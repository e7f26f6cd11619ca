package dev.pigment.imagej;

import dev.pigment.core.api.PigmentException;
import dev.pigment.core.image.PngFiles;
import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.io.SaveDialog;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plugins>Pigment>Save as PNG with Parameters...: writes the current image (RGB; greyscale through its display
 * range) as PNG with Pigment's parameters in the Automatic1111 {@code parameters} text chunk, which the CLI,
 * Reuse Parameters and other tools read back. Macro key: {@code path}.
 */
public class SaveWithParameters implements PlugIn {
    public static final String COMMAND = "Save as PNG with Parameters...";

    @Override
    public void run(String arg) {
        try {
            ImagePlus imp = IJ.getImage();
            String parameters = imp.getProp("pigment.parameters");
            if (parameters == null) {
                throw PigmentException.badRequest("'" + imp.getTitle() + "' has no Pigment parameters to save: use"
                        + " File>Save As>PNG for images not made by Pigment.");
            }
            String path = Macro.getOptions() == null ? askPath(imp) : Macro.getValue(Macro.getOptions(), "path", null);
            if (path == null || path.isBlank()) {
                if (Macro.getOptions() != null) {
                    throw PigmentException.badRequest("Give the file to write: path=[/folder/name.png].");
                }
                return;
            }
            Map<String, String> text = new LinkedHashMap<>();
            text.put(PngFiles.PARAMETERS_KEY, parameters);
            PngFiles.write(imp.getProcessor().convertToRGB().getBufferedImage(), Path.of(path), text);
            IJ.showStatus("Pigment: wrote " + path);
        } catch (Throwable t) {
            Errors.report(COMMAND, t);
        }
    }

    private static String askPath(ImagePlus imp) {
        SaveDialog sd = new SaveDialog("Save as PNG with Parameters", EditResults.stripExtension(imp.getTitle()), ".png");
        return sd.getFileName() == null ? null : sd.getDirectory() + sd.getFileName();
    }
}
