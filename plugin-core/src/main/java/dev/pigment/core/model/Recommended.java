package dev.pigment.core.model;

import dev.pigment.core.api.GenerationRequest;
import java.util.Objects;

/**
 * The settings a model works best with. A manifest may give only some of them: an unset
 * width, height or steps is 0 and an unset guidance is NaN (0 is a real guidance: turbo
 * models run without it). {@link ModelInfo#recommended()} is always complete.
 *
 * @param width     pixels, 0 = unset
 * @param height    pixels, 0 = unset
 * @param steps     denoising steps, 0 = unset
 * @param guidance  classifier-free guidance scale (on only when &gt; 1), NaN = unset
 * @param scheduler scheduler name as the CLI takes it, e.g. {@code euler}; null = the model's own scheduler_config.json
 */
public record Recommended(int width, int height, int steps, double guidance, String scheduler) {
    /** Nothing set: every value comes from the fallback. */
    public static final Recommended UNSET = new Recommended(0, 0, 0, Double.NaN, null);

    public Recommended {
        if (width < 0 || width > GenerationRequest.MAX_SIDE) {
            throw new IllegalArgumentException("width " + width + " is out of range 1.." + GenerationRequest.MAX_SIDE);
        }
        if (height < 0 || height > GenerationRequest.MAX_SIDE) {
            throw new IllegalArgumentException("height " + height + " is out of range 1.." + GenerationRequest.MAX_SIDE);
        }
        if (steps < 0 || steps > GenerationRequest.MAX_STEPS) {
            throw new IllegalArgumentException("steps " + steps + " is out of range 1.." + GenerationRequest.MAX_STEPS);
        }
        if (!Double.isNaN(guidance) && (guidance < 0 || guidance > 100)) {
            throw new IllegalArgumentException("guidance " + guidance + " is out of range 0..100");
        }
        if (scheduler != null && scheduler.isBlank()) {
            scheduler = null;
        }
    }

    /**
     * The family's defaults: SD 1.x/2.x-base settings for latent diffusion (512 px, 25 steps,
     * guidance 7.5), Z-Image Turbo's for flow-matching DiTs (1024 px, 8 steps, no guidance).
     */
    public static Recommended defaults(ModelFamily family) {
        Objects.requireNonNull(family, "family");
        return family.defaults();
    }

    /** True when width, height, steps and guidance are all set. */
    public boolean isComplete() {
        return width > 0 && height > 0 && steps > 0 && !Double.isNaN(guidance);
    }

    /** This, with every unset value taken from {@code fallback}. */
    public Recommended orElse(Recommended fallback) {
        Objects.requireNonNull(fallback, "fallback");
        return new Recommended(
                width > 0 ? width : fallback.width,
                height > 0 ? height : fallback.height,
                steps > 0 ? steps : fallback.steps,
                Double.isNaN(guidance) ? fallback.guidance : guidance,
                scheduler != null ? scheduler : fallback.scheduler);
    }
}
