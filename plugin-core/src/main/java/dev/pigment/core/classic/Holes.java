package dev.pigment.core.classic;

import dev.pigment.core.api.PigmentException;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;

/** Shared hole bookkeeping of the fillers: which pixels are holes, and the checks every filler makes. */
final class Holes {
    /** Mask values above this are holes; softer values only blend (see {@link ClassicEngine}). */
    static final float THRESHOLD = 0.5f;

    private Holes() {
    }

    /** The hole as booleans; fails clearly when the mask does not fit the image. */
    static boolean[] of(RgbImage src, Mask mask) {
        if (mask.width() != src.width() || mask.height() != src.height()) {
            throw PigmentException.badRequest("The mask is " + mask.width() + "x" + mask.height()
                    + " but the image is " + src.width() + "x" + src.height()
                    + ": the mask must be exactly the image's size.");
        }
        float[] m = mask.data();
        boolean[] hole = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            hole[i] = m[i] > THRESHOLD;
        }
        return hole;
    }

    static int count(boolean[] hole) {
        int c = 0;
        for (boolean h : hole) {
            if (h) {
                c++;
            }
        }
        return c;
    }

    /** Fillers that copy from the surroundings need some: say so instead of inventing colour. */
    static void requireSomeKnown(int holes, int total, String mode) {
        if (holes == total) {
            throw PigmentException.badRequest("The mask covers the whole image, so fill=" + mode
                    + " has nothing to copy from: leave part of the image unmasked, or use fill=neutral.");
        }
    }

    /** Planar [r..., g..., b...] -> interleaved [rgb, rgb, ...]. */
    static float[] interleave(float[] planar, int n) {
        float[] out = new float[3 * n];
        for (int i = 0; i < n; i++) {
            out[3 * i] = planar[i];
            out[3 * i + 1] = planar[n + i];
            out[3 * i + 2] = planar[2 * n + i];
        }
        return out;
    }

    /** A copy of {@code src} with the hole pixels taken from the interleaved {@code filled}. */
    static RgbImage withHoleFrom(RgbImage src, boolean[] hole, float[] filled) {
        int n = src.pixelCount();
        float[] out = src.data().clone();
        for (int i = 0; i < n; i++) {
            if (hole[i]) {
                out[i] = filled[3 * i];
                out[n + i] = filled[3 * i + 1];
                out[2 * n + i] = filled[3 * i + 2];
            }
        }
        return RgbImage.wrap(src.width(), src.height(), out);
    }
}
