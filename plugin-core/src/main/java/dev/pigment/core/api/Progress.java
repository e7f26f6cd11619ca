package dev.pigment.core.api;

import dev.pigment.core.image.RgbImage;
import java.util.Objects;

/**
 * One progress event.
 *
 * @param phase   what is running now, e.g. "load", "encode-prompt", "denoise", "decode", "fill"
 * @param step    steps done in this phase (0..totalSteps)
 * @param totalSteps steps in this phase; 0 when the phase has no steps
 * @param imageIndex which image of the batch (0-based)
 * @param preview a cheap preview of the current state, or null
 */
public record Progress(String phase, int step, int totalSteps, int imageIndex, RgbImage preview) {
    public Progress {
        Objects.requireNonNull(phase, "phase");
        if (step < 0 || totalSteps < 0 || (totalSteps > 0 && step > totalSteps)) {
            throw new IllegalArgumentException("step " + step + " of " + totalSteps);
        }
    }

    public static Progress of(String phase, int step, int totalSteps) {
        return new Progress(phase, step, totalSteps, 0, null);
    }

    /** Fraction of this phase done, in [0,1]. */
    public double fraction() {
        return totalSteps == 0 ? 0 : (double) step / totalSteps;
    }
}
