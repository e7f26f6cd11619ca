package dev.pigment.core.model;

import dev.pigment.core.api.PigmentException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Which pipeline runs a model. */
public enum ModelFamily {
    /** Latent diffusion with a UNet (SD 1.x/2.x, SD-Turbo, LCM): {@code unet/}. */
    STABLE_DIFFUSION("stable-diffusion"),
    /** Flow-matching diffusion transformers (Z-Image Turbo layout): {@code transformer/}. */
    FLOW_MATCH_DIT("flow-match-dit"),
    /** The weight-free engines; needs no model folder. */
    CLASSIC("classic");

    private final String id;

    ModelFamily(String id) {
        this.id = id;
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

    /** The folder holding the denoising network, or null for {@link #CLASSIC}. */
    public String denoiser() {
        return switch (this) {
            case STABLE_DIFFUSION -> ModelComponent.UNET.folder();
            case FLOW_MATCH_DIT -> ModelComponent.TRANSFORMER.folder();
            case CLASSIC -> null;
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
