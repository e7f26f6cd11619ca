package dev.pigment.core.pipeline;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.runtime.ComponentGroup;
import dev.pigment.core.runtime.OnnxComponent;
import dev.pigment.core.runtime.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A tiny decoder in the TAESD layout ({@code vae_decoder_tiny/model.onnx}, as diffusers'
 * {@code AutoencoderTiny} exports it): the UNet's latents, as they are (no scaling factor: TAESD
 * was trained on the scaled latents), straight to pixels in [-1, 1]. About 1 M weights instead of
 * the full decoder's 50 M, so it decodes in a fraction of the time: live previews use it whenever
 * the model has one, the final image only when asked ({@code decoder=tiny}), since its pixels are
 * an approximation of the full decoder's.
 *
 * <p>Registered as a resident component: a preview between two UNet steps must not unload the UNet
 * under the one-at-a-time memory policy.
 */
final class TinyDecoder {
    static final String COMPONENT = "vae_decoder_tiny";

    private final ComponentGroup group;
    private final int downscale;

    private TinyDecoder(ComponentGroup group, int downscale) {
        this.group = group;
        this.downscale = downscale;
    }

    /** The model's tiny decoder, registered in {@code group}; empty when the model has none. */
    static Optional<TinyDecoder> register(ComponentGroup group, ModelInfo model, int downscale) {
        if (!model.hasComponent(COMPONENT)) {
            return Optional.empty();
        }
        group.addResident(COMPONENT, model.componentFile(COMPONENT));
        return Optional.of(new TinyDecoder(group, downscale));
    }

    /** UNet-space latents [C, lh, lw] to an image of (lw*f) x (lh*f) in [0,1]. */
    RgbImage decode(float[] latents, int channels, int lh, int lw) {
        OnnxComponent decoder = group.acquire(COMPONENT);
        String input = decoder.inputs().get(0).name();
        Map<String, Tensor> out = decoder.run(Map.of(input, Tensor.ofFloats(latents, 1, channels, lh, lw)));
        Tensor t = out.containsKey("sample") ? out.get("sample") : out.values().iterator().next();
        int h = lh * downscale;
        int w = lw * downscale;
        if (t.elementCount() != 3L * h * w) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, COMPONENT + "/model.onnx turned " + lw + "x" + lh
                    + " latents into shape " + Arrays.toString(t.shape()) + ", expected [1, 3, " + h + ", " + w
                    + "]: it is not a TAESD-layout decoder for this model's VAE. Remove the folder or replace it.");
        }
        float[] px = t.floats();
        float[] rgb = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            rgb[i] = Math.min(1f, Math.max(0f, (px[i] + 1f) / 2f));
        }
        return RgbImage.wrap(w, h, rgb);
    }
}
