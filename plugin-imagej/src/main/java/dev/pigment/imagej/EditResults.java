package dev.pigment.imagej;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import java.util.Map;

/**
 * Runs an edit that makes a new image from the current one (Image to Image, Style Transfer): the current
 * slice, or with {@code stack} every slice (slice i with seed + i, the model loaded once by the service's
 * cache). The result keeps the source's type, display range and calibration; its title is
 * {@code <source title><suffix>}. {@code base} carries the current slice as its source (so it was validated
 * before any work); with {@code stack} each slice is converted here.
 */
final class EditResults {
    private EditResults() {
    }

    static ImagePlus run(ImagePlus source, GenerationRequest base, Map<String, String> values, String command,
                         String suffix) {
        long seed = Requests.resolveSeed(base);
        boolean preview = Boolean.parseBoolean(values.get(ImageJKeys.PREVIEW));
        boolean all = Boolean.parseBoolean(values.get(ImageJKeys.STACK)) && source.getStackSize() > 1;
        int first = all ? 1 : source.getCurrentSlice();
        int last = all ? source.getStackSize() : first;
        ImageStack stack = null;
        GenerationResult firstResult = null;
        for (int i = first; i <= last; i++) {
            if (all) {
                IJ.showStatus("Pigment: slice " + i + "/" + last);
            }
            ImageProcessor ip = all ? Slices.processor(source, i) : source.getProcessor();
            GenerationRequest.Builder b = all ? base.toBuilder().source(ImageBridge.toRgb(ip)) : base.toBuilder();
            GenerationResult r = Generation.run(b.seed(seed + i - first).build(), preview);
            ImageProcessor out = ImageBridge.newLike(ip, r.first().image());
            if (stack == null) {
                stack = new ImageStack(out.getWidth(), out.getHeight());
                firstResult = r;
            }
            stack.addSlice(source.getStack().getSliceLabel(i), out);
        }
        Generation.requireNotCancelled(); // Esc during the last decode: no new window either
        ImagePlus imp = new ImagePlus(stripExtension(source.getTitle()) + suffix, stack);
        imp.setCalibration(source.getCalibration());
        if (source.getBitDepth() != 24) {
            imp.setDisplayRange(source.getDisplayRangeMin(), source.getDisplayRangeMax());
        }
        ImageProvenance.apply(imp, command, values, firstResult, seed);
        return imp;
    }

    static String stripExtension(String title) {
        int dot = title.lastIndexOf('.');
        return dot > 0 && title.length() - dot <= 5 ? title.substring(0, dot) : title;
    }
}
