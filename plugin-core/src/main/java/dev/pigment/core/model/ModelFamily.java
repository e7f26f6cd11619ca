package dev.pigment.core.model;

import dev.pigment.core.api.PigmentException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which pipeline runs a model, and everything that follows from the family alone: the one table that
 * replaces per-family switches (as krita-ai-diffusion's {@code Arch} and diffusers' auto-pipeline
 * mappings do). Adding a family means one constant here and one denoiser in the pipeline.
 */
public enum ModelFamily {
    /** Latent diffusion with a UNet (SD 1.x/2.x, SD-Turbo, LCM): {@code unet/}. */
    STABLE_DIFFUSION("stable-diffusion", ModelComponent.UNET,
            new Recommended(512, 512, 25, 7.5, null),
            List.of("euler", "euler-a", "ddim", "dpm++2m", "dpm++2m-karras", "lcm"),
            List.of("stablediffusion", "latentconsistency")),
    /** Flow-matching diffusion transformers (Z-Image Turbo layout): {@code transformer/}. */
    FLOW_MATCH_DIT("flow-match-dit", ModelComponent.TRANSFORMER,
            new Recommended(1024, 1024, 8, 0.0, null),
            List.of("flow-match-euler"),
            List.of("zimage", "flux", "stablediffusion3", "qwenimage", "lumina", "sana")),
    /** The weight-free engines; needs no model folder. */
    CLASSIC("classic", null, new Recommended(512, 512, 1, 0.0, null), List.of(), List.of());

    private final String id;
    private final ModelComponent denoiser;
    private final Recommended defaults;
    private final List<String> schedulers;
    private final List<String> pipelineClassHints;

    ModelFamily(String id, ModelComponent denoiser, Recommended defaults, List<String> schedulers,
                List<String> pipelineClassHints) {
        this.id = id;
        this.denoiser = denoiser;
        this.defaults = defaults;
        this.schedulers = schedulers;
        this.pipelineClassHints = pipelineClassHints;
    }

    /** The name used in pigment.json and on the command line. */
    public String id() {
        return id;
    }

    /**
     * The family with this id (case-insensitive).
     *
     * @throws PigmentException BAD_REQUEST naming the known ids if there is none
     */
    public static ModelFamily fromId(String id) {
        if (id != null) {
            for (ModelFamily f : values()) {
                if (f.id.equalsIgnoreCase(id.trim())) {
                    return f;
                }
            }
        }
        throw PigmentException.badRequest("Unknown model family '" + id + "': use one of "
                + Arrays.stream(values()).map(ModelFamily::id).collect(Collectors.joining(", ")) + ".");
    }

    /** The denoising network's component, or null for {@link #CLASSIC}. */
    public ModelComponent denoiserComponent() {
        return denoiser;
    }

    /** The folder holding the denoising network, or null for {@link #CLASSIC}. */
    public String denoiser() {
        return denoiser == null ? null : denoiser.folder();
    }

    /** Components a model of this family cannot run without (vae_encoder is only for the edit tasks). */
    public List<ModelComponent> requiredComponents() {
        return denoiser == null ? List.of()
                : List.of(ModelComponent.TEXT_ENCODER, denoiser, ModelComponent.VAE_DECODER);
    }

    /** Settings when neither the manifest nor the component configs say otherwise (complete). */
    public Recommended defaults() {
        return defaults;
    }

    /**
     * Scheduler ids whose noise schedule matches the family's training objective (diffusers'
     * {@code _compatibles}): a DiT trained for flow matching gives noise under an epsilon-prediction
     * scheduler and vice versa.
     */
    public List<String> schedulers() {
        return schedulers;
    }

    /** The family that model_index.json's {@code _class_name} suggests, or null when it suggests none. */
    public static ModelFamily fromPipelineClass(String className) {
        if (className == null) {
            return null;
        }
        String c = className.toLowerCase(Locale.ROOT);
        // Z-Image and SD3 class names contain "stablediffusion"-like substrings less specific than theirs:
        // check the DiT hints first.
        for (ModelFamily f : List.of(FLOW_MATCH_DIT, STABLE_DIFFUSION)) {
            for (String hint : f.pipelineClassHints) {
                if (c.contains(hint)) {
                    return f;
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return id;
    }
}
