package dev.pigment.core.pipeline;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.LatentRgbFactors;
import java.util.Optional;

/**
 * Which decoder turns latents into pixels: the full VAE for final images (unless the request says
 * {@code decoder=tiny}), the tiny TAESD decoder for live previews whenever the model has one, else
 * the linear latent projection: the model's own factors (pigment.json) when it has them for this many
 * channels, else the built-in ones.
 */
final class Decoders {
    /** The request option that picks the final image's decoder. */
    static final String OPTION = "decoder";
    static final String FULL = "full";
    static final String TINY = "tiny";

    private final Vae vae;
    private final Optional<TinyDecoder> tiny;
    private final Optional<LatentRgbFactors> latentRgb;

    Decoders(Vae vae, Optional<TinyDecoder> tiny, Optional<LatentRgbFactors> latentRgb) {
        this.vae = vae;
        this.tiny = tiny;
        this.latentRgb = latentRgb;
    }

    /**
     * True when the request asks for the tiny decoder's final image.
     *
     * @throws PigmentException BAD_REQUEST for an unknown value, or {@code tiny} on a model without one
     */
    boolean tinyFinal(GenerationRequest request, String modelId) {
        String v = request.option(OPTION, FULL).strip();
        if (v.equals(FULL)) {
            return false;
        }
        if (!v.equals(TINY)) {
            throw PigmentException.badRequest(OPTION + "=" + v + " is not a decoder: use full (the model's VAE) or "
                    + "tiny (its vae_decoder_tiny/, faster and approximate).");
        }
        if (tiny.isEmpty()) {
            throw PigmentException.badRequest(OPTION + "=tiny needs a TAESD-layout decoder in " + modelId
                    + "/" + TinyDecoder.COMPONENT + "/model.onnx, which this model does not have. Leave the option "
                    + "out to use the full VAE.");
        }
        return true;
    }

    /** The final image: full VAE (tiled) or, when asked, the tiny decoder. */
    RgbImage decodeFinal(float[] latents, int channels, int lh, int lw, boolean useTiny) {
        return useTiny ? tiny.orElseThrow().decode(latents, channels, lh, lw) : vae.decode(latents, lh, lw);
    }

    /** A live preview of UNet-space latents: the tiny decoder when present, else the linear projection. */
    RgbImage preview(float[] latents, int channels, int lh, int lw) {
        if (tiny.isPresent()) {
            return tiny.get().decode(latents, channels, lh, lw);
        }
        return latentRgb.filter(f -> f.channels() == channels).map(f -> f.render(latents, lh, lw))
                .orElseGet(() -> LatentPreview.render(latents, channels, lh, lw));
    }
}
