package dev.pigment.core.pipeline;

import dev.pigment.core.model.ModelComponent;
import dev.pigment.core.sched.Scheduler;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything a model family decides about the denoising loop, behind one seam: the network call
 * (UNet or patchified transformer with positions), the prompt encoder and guidance rule, the timestep
 * plan and the img2img start rule. Everything a task decides (canvas, blending, decoding,
 * compositing) stays in {@link LatentDiffusionPipeline}, shared by every family.
 */
sealed interface Denoiser permits UNetDenoiser, FlowTransformerDenoiser {
    /** The component whose weights this runs (provenance hashes its file). */
    ModelComponent component();

    /** Latent channels denoised: 4 for SD (also for 9-channel inpaint UNets), 16 for the Z-Image VAE. */
    int latentChannels();

    /** Image sides must be multiples of this many pixels (padded and cropped back otherwise). */
    int sizeMultiple(int vaeDownscale);

    /** True when the network takes the mask and masked-image latents as extra input channels. */
    boolean isInpaintModel();

    /** Whether reference images go in as tokens after the image's (pigment.json export.reference_tokens). */
    default boolean takesReferenceTokens() {
        return false;
    }

    /** Encodes the prompts once per generation; truncation and similar are told through notes. */
    Conditioning condition(String prompt, String negative, double guidance, List<String> notes);

    /**
     * The scheduler this id names, or the model's own when null; refuses ids that do not suit the family.
     * Its timesteps are not set.
     */
    Scheduler scheduler(String schedulerId, Consumer<String> notes);

    /** A scheduler for this model with its timesteps set (diffusers' {@code retrieve_timesteps}). */
    Scheduler newScheduler(String schedulerId, int steps, SizePlan size, Consumer<String> notes);

    /** The first step an image-to-image run takes (diffusers' {@code get_timesteps}). */
    int startIndex(int steps, double strength);

    /**
     * The prediction {@code scheduler.step} expects for these latents at this step.
     *
     * @param sample latents after {@code scaleModelInput}
     * @param extra  extra input channels of inpaint models, or null
     */
    float[] predict(Latents sample, float[] extra, double timestep, Conditioning c);
}
