package dev.pigment.imagej;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.RequestKeys;
import dev.pigment.core.api.Task;
import dev.pigment.core.service.GenerationService;
import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plugins>Pigment>Style Transfer...: the current image is the content, {@code reference=[title]} an open image
 * whose look it takes; the result is a new image {@code <title>-styled}.
 */
public class StyleTransfer implements PlugIn {
    public static final String COMMAND = "Style Transfer...";

    @Override
    public void run(String arg) {
        try {
            ImagePlus imp = IJ.getImage();
            CommandDialog d = dialog(imp, PigmentSession.service());
            if (!d.show()) {
                return;
            }
            Map<String, String> values = d.read();
            create(imp, reference(values.get(ImageJKeys.REFERENCE)), values).show();
        } catch (Throwable t) {
            Errors.report(COMMAND, t);
        }
    }

    /** The restyled image (not shown yet); {@code reference} is the image whose look to copy. */
    static ImagePlus create(ImagePlus imp, ImagePlus reference, Map<String, String> values) {
        Map<String, String> request = new java.util.LinkedHashMap<>(values);
        if (!"classic".equals(values.get(RequestKeys.MODEL.name()))) {
            // The method choice belongs to the classic engine; diffusion models refuse options they do not read.
            request.remove(RequestKeys.METHOD.name());
        }
        GenerationRequest base = Requests.builder(Task.RESTYLE, request).source(ImageBridge.toRgb(imp.getProcessor()))
                .reference(ImageBridge.toRgb(reference.getProcessor())).build();
        return EditResults.run(imp, base, values, COMMAND, "-styled");
    }

    static CommandDialog dialog(ImagePlus imp, GenerationService service) {
        CommandDialog d = new CommandDialog("Pigment: Style Transfer");
        List<String> titles = otherImages(imp);
        d.choice(ImageJKeys.REFERENCE, "Reference image (the look to copy)", titles, titles.isEmpty() ? "" : titles.get(0));
        d.text(RequestKeys.STYLE, "Style strength (0..1, empty = default)", "", 6);
        Requests.strength(d, "");
        d.text(RequestKeys.PROMPT, "Prompt (diffusion models only)", "", 40);
        Requests.model(d, service, "classic");
        d.choice(RequestKeys.METHOD.name(), "Method (classic)", RequestKeys.METHOD.choices(), "color");
        Requests.steps(d);
        Requests.seed(d);
        d.checkbox(ImageJKeys.STACK, "Stack (all " + imp.getStackSize() + " slices)", false);
        return d;
    }

    private static List<String> otherImages(ImagePlus current) {
        List<String> titles = new ArrayList<>();
        int[] ids = WindowManager.getIDList();
        if (ids != null) {
            for (int id : ids) {
                ImagePlus other = WindowManager.getImage(id);
                if (other != null && other != current) {
                    titles.add(other.getTitle());
                }
            }
        }
        return titles;
    }

    private static ImagePlus reference(String title) {
        ImagePlus ref = title == null || title.isEmpty() ? null : WindowManager.getImage(title);
        if (ref == null) {
            throw PigmentException.badRequest("reference=[" + (title == null ? "" : title) + "] is not an open image:"
                    + " open the image whose look to copy, then pick it as the reference.");
        }
        return ref;
    }
}
