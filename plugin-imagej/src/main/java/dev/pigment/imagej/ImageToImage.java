package dev.pigment.imagej;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.RequestKeys;
import dev.pigment.core.api.Task;
import dev.pigment.core.service.GenerationService;
import ij.IJ;
import ij.ImagePlus;
import ij.plugin.PlugIn;
import java.util.Map;

/** Plugins>Pigment>Image to Image...: the current image (or slice) redrawn towards the prompt, as a new image. */
public class ImageToImage implements PlugIn {
    public static final String COMMAND = "Image to Image...";

    @Override
    public void run(String arg) {
        try {
            ImagePlus imp = IJ.getImage();
            CommandDialog d = dialog(imp, PigmentSession.service());
            if (!d.show()) {
                return;
            }
            create(imp, d.read()).show();
        } catch (Throwable t) {
            Errors.report(COMMAND, t);
        }
    }

    /** The new image for these dialog values (not shown yet). */
    static ImagePlus create(ImagePlus imp, Map<String, String> values) {
        GenerationRequest base = Requests.builder(Task.IMAGE_TO_IMAGE, values)
                .source(ImageBridge.toRgb(imp.getProcessor())).build();
        return EditResults.run(imp, base, values, COMMAND, "-pigment");
    }

    static CommandDialog dialog(ImagePlus imp, GenerationService service) {
        CommandDialog d = new CommandDialog("Pigment: Image to Image");
        d.text(RequestKeys.PROMPT, "Prompt", "", 40);
        d.text(RequestKeys.NEGATIVE, "Negative prompt", "", 40);
        Requests.model(d, service, PigmentSession.defaultModel());
        Requests.strength(d, "0.6");
        Requests.steps(d);
        Requests.guidance(d);
        Requests.scheduler(d, service);
        Requests.seed(d);
        d.checkbox(ImageJKeys.STACK, "Stack (all " + imp.getStackSize() + " slices)", false);
        d.checkbox(ImageJKeys.PREVIEW, "Preview while generating", false);
        return d;
    }
}
