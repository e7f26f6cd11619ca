package dev.pigment.imagej;

import dev.pigment.core.api.PigmentException;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.MaskOps;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import ij.plugin.frame.RoiManager;
import ij.process.ImageProcessor;
import java.awt.Rectangle;

/**
 * Turns ImageJ's selection into an inpaint mask: the image's own selection (any area shape, composite ROIs),
 * else the ROI Manager's selected ROIs (joined). Grow widens the mask; feather softens its edge inwards only,
 * so the mask stays 0 outside the grown selection and those pixels are never touched.
 */
public final class SelectionMask {
    /** Largest grow or feather radius, in pixels. */
    public static final int MAX_RADIUS = 256;

    private SelectionMask() {
    }

    /** The selection to use on {@code imp}, or an error that says how to make one. */
    public static Roi selection(ImagePlus imp) {
        Roi roi = imp.getRoi();
        if (roi == null) {
            roi = fromRoiManager();
        }
        if (roi == null) {
            throw PigmentException.badRequest("Inpaint Selection needs a selection: draw the area to repaint on '"
                    + imp.getTitle() + "' (any area tool), or select ROIs in the ROI Manager.");
        }
        if (!roi.isArea()) {
            throw PigmentException.badRequest("The selection on '" + imp.getTitle() + "' is a " + roi.getTypeAsString()
                    + ", which covers no area: use an area selection (rectangle, oval, polygon, freehand...).");
        }
        return roi;
    }

    private static Roi fromRoiManager() {
        RoiManager rm = RoiManager.getInstance();
        if (rm == null) {
            return null;
        }
        Roi[] selected = rm.getSelectedRoisAsArray();
        if (selected.length == 0 || rm.getSelectedIndexes().length == 0) {
            return null;
        }
        ShapeRoi joined = null;
        for (Roi r : selected) {
            if (!r.isArea()) {
                continue;
            }
            joined = joined == null ? new ShapeRoi(r) : joined.or(new ShapeRoi(r));
        }
        return joined;
    }

    /** The mask of {@code roi} on a width x height canvas (1 inside), grown and inward-feathered. */
    public static Mask mask(Roi roi, int width, int height, int grow, int feather) {
        checkRadius("grow", grow);
        checkRadius("feather", feather);
        float[] m = new float[width * height];
        Rectangle b = roi.getBounds();
        ImageProcessor shape = roi.getMask();
        for (int y = Math.max(0, b.y); y < Math.min(height, b.y + b.height); y++) {
            for (int x = Math.max(0, b.x); x < Math.min(width, b.x + b.width); x++) {
                boolean inside = shape == null || shape.get(x - b.x, y - b.y) != 0;
                m[y * width + x] = inside ? 1f : 0f;
            }
        }
        Mask mask = Mask.wrap(width, height, m);
        if (mask.isEmpty()) {
            throw PigmentException.badRequest("The selection lies outside the image (" + width + "x" + height
                    + "): draw it on the image.");
        }
        if (grow > 0) {
            mask = MaskOps.grow(mask, grow);
        }
        return feather > 0 ? featherInside(mask, feather) : mask;
    }

    /** Blur, then keep only what lies inside the hard mask: soft inner edge, exact zero outside. */
    static Mask featherInside(Mask hard, int radius) {
        float[] blurred = MaskOps.feather(MaskOps.shrink(hard, radius), radius).data();
        float[] h = hard.data();
        float[] out = new float[h.length];
        for (int i = 0; i < h.length; i++) {
            out[i] = h[i] > 0f ? Math.max(Math.min(1f, blurred[i]), 0f) : 0f;
        }
        return Mask.wrap(hard.width(), hard.height(), out);
    }

    private static void checkRadius(String key, int v) {
        if (v < 0 || v > MAX_RADIUS) {
            throw PigmentException.badRequest(key + "=" + v + " is out of range: use 0.." + MAX_RADIUS + " pixels.");
        }
    }
}
