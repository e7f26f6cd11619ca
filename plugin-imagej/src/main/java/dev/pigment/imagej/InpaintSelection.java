package dev.pigment.imagej;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.RequestKeys;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.Mask;
import dev.pigment.core.service.GenerationService;
import ij.IJ;
import ij.ImagePlus;
import ij.Undo;
import ij.gui.Roi;
import ij.plugin.PlugIn;
import ij.process.ImageProcessor;
import java.util.List;
import java.util.Map;

/**
 * Plugins>Pigment>Inpaint Selection...: repaints what the selection covers, in place, with Undo. Pixels where
 * the (grown, inward-feathered) mask is 0 are never written, so outside the selection the image stays
 * bit-identical. With {@code stack}, every slice is repainted (slice i with seed + i) and, as ImageJ's own
 * stack filters, the edit cannot be undone.
 */
public class InpaintSelection implements PlugIn {
    public static final String COMMAND = "Inpaint Selection...";
    static final List<String> FILLS = List.of(Requests.MODEL_DEFAULT, "patchmatch", "telea", "blur", "neutral", "none");

    @Override
    public void run(String arg) {
        try {
            ImagePlus imp = IJ.getImage();
            inpaint(imp);
        } catch (Throwable t) {
            Errors.report(COMMAND, t);
        }
    }

    private void inpaint(ImagePlus imp) {
        Roi roi = SelectionMask.selection(imp);
        CommandDialog d = dialog(imp, PigmentSession.service());
        if (!d.show()) {
            return;
        }
        Map<String, String> values = d.read();
        apply(imp, roi, values);
    }

    static CommandDialog dialog(ImagePlus imp, GenerationService service) {
        CommandDialog d = new CommandDialog("Pigment: Inpaint Selection");
        d.text(RequestKeys.PROMPT, "Prompt (what to paint; ignored by classic)", "", 40);
        d.text(RequestKeys.NEGATIVE, "Negative prompt", "", 40);
        Requests.model(d, service, PigmentSession.defaultModel());
        d.choice(RequestKeys.FILL.name(), "Fill (classic method, or diffusion pre-fill)", FILLS, Requests.MODEL_DEFAULT);
        d.text(ImageJKeys.GROW, "Grow selection (pixels)", "0", 4);
        d.text(ImageJKeys.FEATHER, "Feather inside (pixels)", "0", 4);
        Requests.strength(d, "");
        Requests.steps(d);
        Requests.guidance(d);
        Requests.scheduler(d, service);
        Requests.seed(d);
        d.checkbox(ImageJKeys.STACK, "Stack (all " + imp.getStackSize() + " slices; cannot be undone)", false);
        d.checkbox(ImageJKeys.PREVIEW, "Preview while generating", false);
        return d;
    }

    static void apply(ImagePlus imp, Roi roi, Map<String, String> values) {
        apply(imp, roi, values, Generation::run);
    }

    static void apply(ImagePlus imp, Roi roi, Map<String, String> values, Generation.Runner runner) {
        Mask mask = SelectionMask.mask(roi, imp.getWidth(), imp.getHeight(), radius(values, ImageJKeys.GROW),
                radius(values, ImageJKeys.FEATHER));
        GenerationRequest base = Requests.builder(Task.INPAINT, values).source(ImageBridge.toRgb(imp.getProcessor()))
                .mask(mask).build();
        long seed = Requests.resolveSeed(base);
        boolean preview = Boolean.parseBoolean(values.get(ImageJKeys.PREVIEW));
        GenerationResult last;
        if (Boolean.parseBoolean(values.get(ImageJKeys.STACK)) && imp.getStackSize() > 1) {
            last = inpaintStack(imp, base, seed, preview, runner);
        } else {
            ImageProcessor ip = imp.getProcessor();
            last = runner.run(base.toBuilder().seed(seed).build(), preview);
            Generation.requireNotCancelled(); // the last moment Esc can still keep the image as it was
            ip.snapshot();
            ImageBridge.write(last.first().image(), ip, mask);
            Undo.setup(Undo.FILTER, imp);
        }
        ImageProvenance.apply(imp, COMMAND, values, last, seed);
        imp.changes = true;
        imp.updateAndDraw();
    }

    /** All results are computed before any slice is written, so Esc or an error leaves the stack as it was. */
    private static GenerationResult inpaintStack(ImagePlus imp, GenerationRequest base, long seed, boolean preview,
                                                 Generation.Runner runner) {
        int n = imp.getStackSize();
        GenerationResult[] results = new GenerationResult[n];
        for (int i = 1; i <= n; i++) {
            IJ.showStatus("Pigment: slice " + i + "/" + n);
            ImageProcessor ip = Slices.processor(imp, i);
            results[i - 1] = runner.run(base.toBuilder().source(ImageBridge.toRgb(ip)).seed(seed + i - 1).build(),
                    preview);
        }
        Generation.requireNotCancelled();
        for (int i = 1; i <= n; i++) {
            ImageBridge.write(results[i - 1].first().image(), Slices.processor(imp, i), base.mask());
        }
        Undo.reset();
        IJ.showStatus("Pigment: inpainted " + n + " slices (a stack edit cannot be undone).");
        return results[0];
    }

    private static int radius(Map<String, String> values, String key) {
        String v = values.get(key);
        try {
            return v.isEmpty() ? 0 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw dev.pigment.core.api.PigmentException.badRequest(key + "=" + v + " is not a whole number: use 0.."
                    + SelectionMask.MAX_RADIUS + " pixels.");
        }
    }
}
