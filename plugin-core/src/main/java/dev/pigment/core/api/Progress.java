package dev.pigment.core.api;

import dev.pigment.core.image.RgbImage;
import java.util.Objects;

/**
 * One progress event.
 *
 * @param phase   what is running now
 * @param step    steps done in this phase (0..totalSteps); for {@link Phase#QUEUED}, the jobs ahead of this one
 * @param totalSteps steps in this phase; 0 when the phase has no steps
 * @param imageIndex which image of the batch (0-based)
 * @param preview a cheap preview of the current state, or null
 */
public record Progress(Phase phase, int step, int totalSteps, int imageIndex, RgbImage preview) {
    public Progress {
        Objects.requireNonNull(phase, "phase");
        if (step < 0 || totalSteps < 0 || (totalSteps > 0 && step > totalSteps)) {
            throw new IllegalArgumentException("step " + step + " of " + totalSteps);
        }
    }

    public static Progress of(Phase phase, int step, int totalSteps) {
        return new Progress(phase, step, totalSteps, 0, null);
    }

    /** The event a job sends when it enters the queue with {@code ahead} jobs before it. */
    public static Progress queued(int ahead) {
        if (ahead < 0) {
            throw new IllegalArgumentException("ahead " + ahead);
        }
        return new Progress(Phase.QUEUED, ahead, ahead, 0, null);
    }

    /** For a {@link Phase#QUEUED} event: how many jobs run before this one. */
    public int jobsAhead() {
        return phase == Phase.QUEUED ? step : 0;
    }

    /** Fraction of this phase done, in [0,1]. */
    public double fraction() {
        return totalSteps == 0 ? 0 : (double) step / totalSteps;
    }
}
