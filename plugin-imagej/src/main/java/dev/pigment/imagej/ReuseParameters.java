package dev.pigment.imagej;

import dev.pigment.core.api.PigmentException;
import ij.IJ;
import ij.ImagePlus;
import ij.plugin.PlugIn;

/**
 * Plugins>Pigment>Reuse Parameters: re-runs the command recorded in the current image's provenance with the
 * same options and seed. For Text to Image that regenerates the same pixels as a new image; an edit command
 * (Inpaint Selection, Image to Image, Style Transfer) runs again on the current image with the recorded
 * options, so to reproduce an edit, make the original source image current (with its selection) first.
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
                throw PigmentException.badRequest("'" + imp.getTitle() + "' carries no Pigment parameters (no "
                        + ImageProvenance.COMMAND + " property): use an image made by a Pigment command, or a TIFF"
                        + " saved from one.");
            }
            if (!command.equals(TextToImage.COMMAND)) {
                IJ.log("Pigment: running " + command + " again on '" + imp.getTitle() + "' with " + options);
            }
            IJ.run(command, options);
        } catch (Throwable t) {
            Errors.report(COMMAND, t);
        }
    }
}
