package dev.pigment.imagej;

import dev.pigment.core.api.PigmentException;
import ij.ImagePlus;
import java.util.Map;
import java.util.Objects;

/**
 * The menu commands' work without their dialogs, for scripts and the SciJava commands: the same code path,
 * the same keys ({@link ImageJKeys}) and the same provenance. Failures are {@link PigmentException}s with the
 * user message; nothing is shown.
 */
public final class Commands {
    private Commands() {
    }

    /** Text to Image: a new image (a stack for batch > 1), not shown. */
    public static ImagePlus textToImage(Map<String, String> values) {
        return TextToImage.create(values);
    }

    /** Inpaint Selection: repaints {@code image}'s selection in place. */
    public static void inpaint(ImagePlus image, Map<String, String> values) {
        Objects.requireNonNull(image, "image");
        InpaintSelection.apply(image, SelectionMask.selection(image), values);
    }

    /** Image to Image: a new image of {@code image}'s type, not shown. */
    public static ImagePlus imageToImage(ImagePlus image, Map<String, String> values) {
        return ImageToImage.create(Objects.requireNonNull(image, "image"), values);
    }

    /** Style Transfer: {@code image} restyled after {@code reference}, as a new image, not shown. */
    public static ImagePlus styleTransfer(ImagePlus image, ImagePlus reference, Map<String, String> values) {
        if (reference == null) {
            throw PigmentException.badRequest("Style Transfer needs a reference image: pass the image whose look to copy.");
        }
        return StyleTransfer.create(Objects.requireNonNull(image, "image"), reference, values);
    }
}
