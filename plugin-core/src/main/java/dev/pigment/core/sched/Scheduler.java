package dev.pigment.core.sched;

/**
 * One diffusers noise scheduler, reduced to what a denoising loop needs. Arrays are flat (NCHW flattened) and
 * every operation is elementwise, so shapes never matter. Implementations keep per-run state (multistep
 * history) and are not thread-safe: one scheduler instance per generation.
 */
public interface Scheduler {
    /** Short id, e.g. "euler", "euler-a", "ddim", "dpm++2m", "dpm++2m-karras", "lcm", "flow-match-euler". */
    String id();

    /** The name Automatic1111/ComfyUI users know, e.g. "Euler", "Euler a", "DDIM", "DPM++ 2M Karras", "LCM". */
    String displayName();

    /** Prepares the schedule for this many denoising steps; resets all per-run state (multistep history). */
    void setTimesteps(int numInferenceSteps);

    /**
     * Installs a custom sigma schedule (one per step, without the final 0) instead of {@link #setTimesteps}.
     * Schedulers that take none refuse, as diffusers' {@code retrieve_timesteps} does, rather than ignore them.
     *
     * @throws dev.pigment.core.api.PigmentException BAD_REQUEST unless the scheduler supports custom sigmas
     */
    default void setSigmas(double[] sigmas) {
        throw dev.pigment.core.api.PigmentException.badRequest(displayName() + " takes no custom sigmas; use"
                + " flow-match-euler for models with their own sigma schedule.");
    }

    /** The timestep values fed to the denoiser, one per step, in order (length = steps). */
    double[] timesteps();

    /** Standard deviation of the initial noise (diffusers' init_noise_sigma). */
    double initNoiseSigma();

    /** diffusers' scale_model_input for the step at stepIndex, in place. */
    void scaleModelInput(float[] sample, int stepIndex);

    /**
     * One step from stepIndex to stepIndex+1: returns the new sample (a new array). Steps must be called
     * consecutively starting from any index (img2img starts late); ancestral/LCM draw their noise from the
     * generator in the same order as diffusers.
     */
    float[] step(float[] modelOutput, int stepIndex, float[] sample, TorchGenerator generator);

    /**
     * diffusers' add_noise / scale_noise: the clean sample noised to the level of timesteps()[stepIndex];
     * stepIndex == steps means "fully denoised" and returns original.
     */
    float[] addNoise(float[] original, float[] noise, int stepIndex);
}
