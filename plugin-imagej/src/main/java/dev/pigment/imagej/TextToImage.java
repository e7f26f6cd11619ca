package dev.pigment.imagej;

import dev.pigment.core.api.GeneratedImage;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.RequestKeys;
import dev.pigment.core.api.Task;
import dev.pigment.core.service.GenerationService;
import ij.ImagePlus;
import ij.ImageStack;
import ij.plugin.PlugIn;
import java.util.Map;

/** Plugins>Pigment>Text to Image...: a new RGB image (a stack, one slice per seed, for batch > 1). */
public class TextToImage implements PlugIn {
    public static final String COMMAND = "Text to Image...";

    @Override
    public void run(String arg) {
        try {
            generate();
        } catch (Throwable t) {
            Errors.report(COMMAND, t);
        }
    }

    private void generate() {
        GenerationService service = PigmentSession.service();
        CommandDialog d = dialog(service);
        if (!d.show()) {
            return;
        }
        create(d.read()).show();
    }

    /** The image for these dialog values (not shown yet), with its provenance. */
    static ImagePlus create(Map<String, String> values) {
        GenerationRequest request = Requests.builder(Task.TEXT_TO_IMAGE, values).build();
        GenerationResult result = Generation.run(request, Boolean.parseBoolean(values.get(ImageJKeys.PREVIEW)));
        ImagePlus imp = toImage(title(request.prompt()), result);
        ImageProvenance.apply(imp, COMMAND, values, result, result.first().seed());
        return imp;
    }

    static CommandDialog dialog(GenerationService service) {
        CommandDialog d = new CommandDialog("Pigment: Text to Image");
        d.text(RequestKeys.PROMPT, "Prompt", "", 40);
        d.text(RequestKeys.NEGATIVE, "Negative prompt", "", 40);
        Requests.model(d, service, PigmentSession.defaultModel());
        d.text(RequestKeys.WIDTH, "Width (pixels, 0 = the model's)", "0", 6);
        d.text(RequestKeys.HEIGHT, "Height (pixels, 0 = the model's)", "0", 6);
        Requests.steps(d);
        Requests.guidance(d);
        Requests.scheduler(d, service);
        Requests.seed(d);
        d.text(RequestKeys.BATCH, "Batch (images; image i uses seed + i)", "1", 6);
        d.checkbox(ImageJKeys.PREVIEW, "Preview while generating", false);
        return d;
    }

    static ImagePlus toImage(String title, GenerationResult result) {
        if (result.images().size() == 1) {
            return ImageBridge.newRgb(title, result.first().image());
        }
        GeneratedImage first = result.first();
        ImageStack stack = new ImageStack(first.image().width(), first.image().height());
        for (GeneratedImage g : result.images()) {
            stack.addSlice("seed " + g.seed(), ImageBridge.newRgb("", g.image()).getProcessor());
        }
        return new ImagePlus(title, stack);
    }

    static String title(String prompt) {
        String p = prompt.strip().replaceAll("\\s+", " ");
        if (p.isEmpty()) {
            return "Pigment";
        }
        return p.length() > 40 ? p.substring(0, 40) + "..." : p;
    }
}
