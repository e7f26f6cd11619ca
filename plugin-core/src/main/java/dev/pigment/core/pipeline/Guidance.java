package dev.pigment.core.pipeline;

/**
 * Classifier-free guidance as a family states it (diffusers' guider, {@code use_original_formulation}):
 * Stable Diffusion guides when g &gt; 1 with {@code uncond + g * (cond - uncond)}; Z-Image guides when
 * g &gt; 0 with {@code cond + g * (cond - uncond)} (pipeline_z_image.py). Each formula is computed exactly as
 * its reference writes it, so float rounding matches too.
 *
 * @param scale          the user's guidance scale
 * @param fromConditional true for the Z-Image form (offset from the conditional prediction)
 */
record Guidance(double scale, boolean fromConditional) {
    static Guidance stableDiffusion(double scale) {
        return new Guidance(scale, false);
    }

    static Guidance zImage(double scale) {
        return new Guidance(scale, true);
    }

    /** Whether the unconditional prediction is needed at all. */
    boolean on() {
        return fromConditional ? scale > 0.0 : scale > 1.0;
    }

    /** Combines into {@code cond} (returned) element by element. */
    float[] combine(float[] cond, float[] uncond) {
        float g = (float) scale;
        for (int i = 0; i < cond.length; i++) {
            float c = cond[i];
            float u = uncond[i];
            cond[i] = fromConditional ? c + g * (c - u) : u + g * (c - u);
        }
        return cond;
    }
}
