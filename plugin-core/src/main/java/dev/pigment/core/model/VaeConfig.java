package dev.pigment.core.model;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the pipeline needs to know about a VAE, read from diffusers' {@code vae_*\/config.json}; SD
 * defaults when absent. Key names are diffusers' {@code AutoencoderKL} arguments.
 *
 * @param scalingFactor  {@code scaling_factor}: latents are multiplied by this after encoding, divided before decoding
 * @param shiftFactor    {@code shift_factor}: subtracted before scaling (Flux-style VAEs: 0.1159), 0 for SD
 * @param downscale      pixels per latent cell along each side (2^(len(block_out_channels)-1))
 * @param latentChannels {@code latent_channels}: 4 for SD, 16 for the Flux/Z-Image VAE; 0 when the file does not say
 */
public record VaeConfig(double scalingFactor, double shiftFactor, int downscale, int latentChannels) {
    public static final VaeConfig SD_DEFAULT = new VaeConfig(0.18215, 0.0, 8, 0);

    public VaeConfig {
        if (!(scalingFactor > 0) || Double.isInfinite(scalingFactor)) {
            throw new IllegalArgumentException("scaling_factor must be positive, found " + scalingFactor);
        }
        if (downscale < 1 || latentChannels < 0) {
            throw new IllegalArgumentException("downscale " + downscale + ", latent_channels " + latentChannels);
        }
    }

    /** The config of the model's VAE: vae_decoder's, else vae_encoder's, else the SD defaults. */
    public static VaeConfig read(Path modelFolder) {
        for (String component : new String[] {"vae_decoder", "vae_encoder", "vae"}) {
            Path cfg = modelFolder.resolve(component).resolve("config.json");
            Optional<JsonObject> o = ComponentConfigs.read(cfg);
            if (o.isPresent()) {
                return parse(cfg, o.get());
            }
        }
        return SD_DEFAULT;
    }

    private static VaeConfig parse(Path cfg, JsonObject o) {
        double scaling = ComponentConfigs.number(cfg, o, "scaling_factor", SD_DEFAULT.scalingFactor);
        if (!(scaling > 0)) {
            throw ComponentConfigs.bad(cfg, "scaling_factor", scaling, "a positive number");
        }
        double shift = ComponentConfigs.number(cfg, o, "shift_factor", 0.0);
        int[] blocks = ComponentConfigs.integers(cfg, o, "block_out_channels", new int[4]);
        if (blocks.length == 0 || blocks.length > 8) {
            throw ComponentConfigs.bad(cfg, "block_out_channels", o.get("block_out_channels"), "a list of 1 to 8 widths");
        }
        int channels = ComponentConfigs.integer(cfg, o, "latent_channels", 0);
        if (channels < 0 || channels > 256) {
            throw ComponentConfigs.bad(cfg, "latent_channels", channels, "from 1 to 256");
        }
        return new VaeConfig(scaling, shift, 1 << (blocks.length - 1), channels);
    }
}
