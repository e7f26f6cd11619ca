package dev.pigment.imagej;

import ij.ImagePlus;
import ij.process.ImageProcessor;

/** Stack slices as processors that share the slice's pixels and carry the image's display range. */
final class Slices {
    private Slices() {
    }

    /** Slice {@code n} (1-based) of {@code imp}: writing to it writes the stack; min/max as displayed. */
    static ImageProcessor processor(ImagePlus imp, int n) {
        ImageProcessor ip = imp.getStack().getProcessor(n);
        if (imp.getBitDepth() != 24) {
            ip.setMinAndMax(imp.getDisplayRangeMin(), imp.getDisplayRangeMax());
        }
        return ip;
    }
}
