package dev.pigment.core.classic;

import dev.pigment.core.api.PigmentException;
import dev.pigment.core.image.Mask;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a patch-based fill must not copy from: the removed object's shadow or reflection, a second copy
 * of the object. Rectangles (from the {@code avoid} option, {@code x,y,w,h[;x,y,w,h...]} in pixels) and/or
 * a mask (pixels above 0.5), as a front end's second selection or layer would give.
 */
public record AvoidArea(List<Rect> rects, Mask mask) {
    public static final AvoidArea NONE = new AvoidArea(List.of(), null);

    /** A rectangle in pixels; it may stick out of the image (the outside part is ignored). */
    public record Rect(int x, int y, int width, int height) {
        public Rect {
            if (width <= 0 || height <= 0) {
                throw PigmentException.badRequest("avoid rectangle " + x + "," + y + "," + width + "," + height
                        + " is empty: width and height must be positive (x,y,w,h in pixels).");
            }
        }
    }

    public AvoidArea {
        rects = List.copyOf(Objects.requireNonNull(rects, "rects"));
    }

    public static AvoidArea of(Mask mask) {
        return new AvoidArea(List.of(), Objects.requireNonNull(mask, "mask"));
    }

    /** Parses the {@code avoid} option: rectangles {@code x,y,w,h} separated by {@code ;}; null or blank = none. */
    public static AvoidArea parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        List<Rect> out = new ArrayList<>();
        for (String part : value.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            String[] f = part.trim().split("\\s*,\\s*");
            if (f.length != 4) {
                throw PigmentException.badRequest("avoid=" + value + " is not usable: '" + part.trim()
                        + "' must be x,y,w,h in pixels (several rectangles separated by ';').");
            }
            int[] v = new int[4];
            for (int i = 0; i < 4; i++) {
                try {
                    v[i] = Integer.parseInt(f[i]);
                } catch (NumberFormatException e) {
                    throw PigmentException.badRequest("avoid=" + value + " is not usable: '" + f[i]
                            + "' is not a whole number (rectangles are x,y,w,h in pixels).");
                }
            }
            out.add(new Rect(v[0], v[1], v[2], v[3]));
        }
        return new AvoidArea(out, null);
    }

    public boolean isEmpty() {
        return rects.isEmpty() && mask == null;
    }

    /** The avoided pixels of a w x h image. */
    boolean[] pixels(int w, int h) {
        boolean[] out = new boolean[w * h];
        if (mask != null) {
            if (mask.width() != w || mask.height() != h) {
                throw PigmentException.badRequest("The avoid mask is " + mask.width() + "x" + mask.height()
                        + " but the image is " + w + "x" + h + ": it must be exactly the image's size.");
            }
            float[] m = mask.data();
            for (int i = 0; i < out.length; i++) {
                out[i] = m[i] > Holes.THRESHOLD;
            }
        }
        for (Rect r : rects) {
            for (int y = Math.max(0, r.y()); y < Math.min(h, (long) r.y() + r.height()); y++) {
                for (int x = Math.max(0, r.x()); x < Math.min(w, (long) r.x() + r.width()); x++) {
                    out[y * w + x] = true;
                }
            }
        }
        return out;
    }

    /** The option's text form (rectangles only; a mask has none). */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Rect r : rects) {
            sb.append(sb.length() == 0 ? "" : ";").append(r.x()).append(',').append(r.y()).append(',')
                    .append(r.width()).append(',').append(r.height());
        }
        return mask == null ? sb.toString() : (sb.length() == 0 ? "mask" : sb + ";mask");
    }
}
