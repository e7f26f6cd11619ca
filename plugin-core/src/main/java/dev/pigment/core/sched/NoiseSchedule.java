package dev.pigment.core.sched;

/**
 * The discrete DDPM training schedule every diffusers scheduler except flow matching builds from its config:
 * betas, alphas_cumprod and the training sigmas they imply, all float32 as diffusers holds them. Immutable:
 * the arrays never leave this class uncopied.
 */
final class NoiseSchedule {
    private final float[] betas;
    private final float[] alphasCumprod;
    private final float[] trainingSigmas;

    private NoiseSchedule(float[] betas, float[] alphasCumprod) {
        this.betas = betas;
        this.alphasCumprod = alphasCumprod;
        this.trainingSigmas = ScheduleMath.trainingSigmas(alphasCumprod);
    }

    static NoiseSchedule of(SchedulerConfig config) {
        float[] betas = ScheduleMath.betas(config);
        float[] alphasCumprod = ScheduleMath.alphasCumprod(betas);
        if (config.rescaleBetasZeroSnr()) {
            // with zero terminal SNR diffusers keeps the last alpha_cumprod at 2^-24, not 0, to avoid infinities
            alphasCumprod[alphasCumprod.length - 1] = 0x1.0p-24f;
        }
        return new NoiseSchedule(betas, alphasCumprod);
    }

    /** num_train_timesteps. */
    int size() {
        return alphasCumprod.length;
    }

    float alphaCumprod(int timestep) {
        return alphasCumprod[timestep];
    }

    float[] betas() {
        return betas.clone();
    }

    float[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    /** {@code ((1 - alphas_cumprod) / alphas_cumprod) ** 0.5}, one per training timestep (ascending). */
    float[] trainingSigmas() {
        return trainingSigmas.clone();
    }

    /** The smallest training sigma, at timestep 0 (final_sigmas_type "sigma_min"). */
    float sigmaMin() {
        return trainingSigmas[0];
    }

    /** DDPM's forward process q(x_t | x_0) at one training timestep, in float32 (diffusers' add_noise). */
    float[] addNoise(float[] original, float[] noise, int timestep) {
        float a = alphasCumprod[timestep];
        float sqrtAlphaProd = (float) Math.sqrt(a);
        float sqrtOneMinusAlphaProd = (float) Math.sqrt(1f - a);
        float[] out = new float[original.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sqrtAlphaProd * original[i] + sqrtOneMinusAlphaProd * noise[i];
        }
        return out;
    }
}
