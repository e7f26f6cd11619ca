package dev.pigment.core.pipeline;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the pipeline needs to know about a VAE, read from diffusers' {@code vae_*\/config.json}
 * ({@code scaling_factor}, {@code shift_factor}, {@code block_out_channels}); SD defaults when absent.
 *
 * @param scalingFactor latents are multiplied by this after encoding and divided before decoding
 * @param shiftFactor   subtracted before scaling (Flux-style VAEs), 0 for SD
 * @param downscale     pixels per latent cell along each side (2^(len(block_out_channels)-1))
 */
record VaeConfig(double scalingFactor, double shiftFactor, int downscale) {
    static final VaeConfig SD_DEFAULT = new VaeConfig(0.18215, 0.0, 8);

    static VaeConfig read(Path modelFolder) {
        for (String component : new String[] {"vae_decoder", "vae_encoder", "vae"}) {
            Path cfg = modelFolder.resolve(component).resolve("config.json");
            if (Files.isRegularFile(cfg)) {
                return parse(cfg);
            }
        }
        return SD_DEFAULT;
    }

    private static VaeConfig parse(Path cfg) {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(cfg)).getAsJsonObject();
            double scaling = number(o, "scaling_factor", SD_DEFAULT.scalingFactor);
            double shift = number(o, "shift_factor", 0.0);
            int downscale = SD_DEFAULT.downscale;
            JsonElement blocks = o.get("block_out_channels");
            if (blocks != null && blocks.isJsonArray() && blocks.getAsJsonArray().size() > 0) {
                downscale = 1 << (blocks.getAsJsonArray().size() - 1);
            }
            if (!(scaling > 0)) {
                throw new PigmentException(ErrorCode.MODEL_INVALID, cfg + ": scaling_factor must be positive, found " + scaling);
            }
            return new VaeConfig(scaling, shift, downscale);
        } catch (IOException | RuntimeException e) {
            if (e instanceof PigmentException pe) {
                throw pe;
            }
            throw new PigmentException(ErrorCode.MODEL_INVALID, "Cannot read " + cfg + ": " + e.getMessage()
                    + ". Fix the JSON or delete the file to use the Stable Diffusion defaults.", e);
        }
    }

    private static double number(JsonObject o, String key, double fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsDouble();
    }
}
