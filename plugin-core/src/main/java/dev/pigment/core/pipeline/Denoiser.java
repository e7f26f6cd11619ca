package dev.pigment.core.pipeline;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.runtime.ComponentGroup;
import dev.pigment.core.runtime.OnnxComponent;
import dev.pigment.core.runtime.Tensor;
import dev.pigment.core.runtime.TensorSpec;
import dev.pigment.core.text.EncodedPrompt;
import java.util.Map;

/**
 * The UNet with classifier-free guidance: {@code uncond + g * (cond - uncond)}, run as one batch of two
 * when the model's batch axis allows it, else as two calls. Guidance is on only when g > 1.
 */
final class Denoiser {
    static final String COMPONENT = "unet";

    private final ComponentGroup group;
    private final int inChannels;
    private final boolean batchOfTwo;
    private final boolean scalarTimestep;

    /**
     * @param unetConfig diffusers' {@code unet/config.json}, consulted for {@code in_channels} when the
     *                   export leaves the channel axis dynamic (as diffusers' own exports do)
     */
    Denoiser(ComponentGroup group, java.nio.file.Path unetConfig) {
        this.group = group;
        OnnxComponent unet = group.acquire(COMPONENT);
        TensorSpec sample = require(unet, "sample");
        require(unet, "encoder_hidden_states");
        TensorSpec timestep = require(unet, "timestep");
        long[] shape = sample.shape();
        if (shape.length != 4) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "unet input 'sample' has shape "
                    + java.util.Arrays.toString(shape) + "; expected [batch, channels, height, width].");
        }
        this.inChannels = shape[1] > 0 ? (int) shape[1] : configuredInChannels(unetConfig);
        this.batchOfTwo = shape[0] < 0 || shape[0] == 2;
        // Exports disagree: some take timestep [B], some [1] even for batch 2, some a scalar.
        this.scalarTimestep = timestep.shape().length == 0 || timestep.shape()[0] == 1;
    }

    private static int configuredInChannels(java.nio.file.Path unetConfig) {
        if (!java.nio.file.Files.isRegularFile(unetConfig)) {
            return 4;
        }
        try {
            com.google.gson.JsonElement v = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(unetConfig))
                    .getAsJsonObject().get("in_channels");
            return v == null ? 4 : v.getAsInt();
        } catch (java.io.IOException | RuntimeException e) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "Cannot read in_channels from " + unetConfig + ": "
                    + e.getMessage() + ". Fix or delete that file.", e);
        }
    }

    private static TensorSpec require(OnnxComponent unet, String name) {
        return unet.input(name).orElseThrow(() -> new PigmentException(ErrorCode.MODEL_INVALID,
                "unet/model.onnx has no input '" + name + "' (it has " + unet.inputs().stream().map(TensorSpec::name).toList()
                        + "). It is not a diffusers-layout UNet export."));
    }

    int inChannels() {
        return inChannels;
    }

    /** True for inpainting UNets, which take [latents, mask, masked-image latents] (9 channels for SD). */
    boolean isInpaintModel() {
        return inChannels == 9;
    }

    /** Latent channels this UNet denoises. */
    int latentChannels() {
        return isInpaintModel() ? 4 : inChannels;
    }

    /**
     * The prompt side of every UNet call of one generation, prepared once: guidance on or off, and for
     * batched guidance the [uncond, cond] hidden states already concatenated.
     */
    record Conditioning(EncodedPrompt cond, EncodedPrompt uncond, double guidance, float[] batchedHidden) {
        boolean guided() {
            return uncond != null && guidance > 1.0;
        }
    }

    /** @param uncond the unconditional (negative) prompt, or null when guidance is off */
    Conditioning condition(EncodedPrompt cond, EncodedPrompt uncond, double guidance) {
        boolean guided = uncond != null && guidance > 1.0;
        float[] batched = guided && batchOfTwo ? concat(uncond.hiddenStates(), cond.hiddenStates()) : null;
        return new Conditioning(cond, guided ? uncond : null, guidance, batched);
    }

    /**
     * Predicts the model output for one latent image.
     *
     * @param sample  scaled model input [C, h, w]
     * @param extra   extra conditioning channels appended after the sample (inpaint UNets), or null
     */
    float[] predict(float[] sample, float[] extra, int h, int w, double timestep, Conditioning c) {
        OnnxComponent unet = group.acquire(COMPONENT);
        float[] input = extra == null ? sample : concat(sample, extra);
        int plane = h * w;
        if (input.length != inChannels * plane) {
            throw new IllegalStateException("UNet input has " + input.length / plane + " channels, model wants " + inChannels);
        }
        EncodedPrompt cond = c.cond();
        if (!c.guided()) {
            return run(unet, input, 1, h, w, timestep, cond.hiddenStates(), cond);
        }
        float g = (float) c.guidance();
        if (c.batchedHidden() != null) {
            float[] both = run(unet, concat(input, input), 2, h, w, timestep, c.batchedHidden(), cond);
            int n = both.length / 2;
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                float u = both[i];
                out[i] = u + g * (both[n + i] - u);
            }
            return out;
        }
        float[] u = run(unet, input, 1, h, w, timestep, c.uncond().hiddenStates(), c.uncond());
        float[] out = run(unet, input, 1, h, w, timestep, cond.hiddenStates(), cond);
        for (int i = 0; i < out.length; i++) {
            out[i] = u[i] + g * (out[i] - u[i]);
        }
        return out;
    }

    private float[] run(OnnxComponent unet, float[] sample, int batch, int h, int w, double timestep,
                        float[] hidden, EncodedPrompt shapeOf) {
        int steps = scalarTimestep ? 1 : batch;
        float[] t = new float[steps];
        java.util.Arrays.fill(t, (float) timestep);
        Map<String, Tensor> out = unet.run(Map.of(
                "sample", Tensor.ofFloats(sample, batch, inChannels, h, w),
                "timestep", Tensor.ofFloats(t, steps),
                "encoder_hidden_states", Tensor.ofFloats(hidden, batch, shapeOf.sequenceLength(), shapeOf.hiddenSize())));
        Tensor result = out.containsKey("out_sample") ? out.get("out_sample") : out.values().iterator().next();
        return result.floats();
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
