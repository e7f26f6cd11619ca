package dev.pigment.core.pipeline;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.model.ModelComponent;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.OnnxModelHeader;
import dev.pigment.core.model.UNetConfig;
import dev.pigment.core.runtime.ComponentGroup;
import dev.pigment.core.runtime.OnnxComponent;
import dev.pigment.core.runtime.Tensor;
import dev.pigment.core.sched.Scheduler;
import dev.pigment.core.sched.SchedulerConfig;
import dev.pigment.core.sched.Schedulers;
import dev.pigment.core.text.EncodedPrompt;
import dev.pigment.core.text.PromptEncoder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Stable Diffusion family's denoiser: a UNet conditioned on CLIP hidden states, classifier-free guidance
 * {@code uncond + g * (cond - uncond)} on when g &gt; 1, run as one batch of two when the model's batch axis
 * allows it, else as two calls.
 */
final class UNetDenoiser implements Denoiser {
    private static final String COMPONENT = ModelComponent.UNET.folder();

    private final ComponentGroup group;
    private final PromptEncoder prompts;
    private final int maxPromptTokens;
    private final SchedulerConfig schedulerConfig;
    private final List<String> schedulers;
    private final int inChannels;
    private final boolean batchOfTwo;
    private final boolean scalarTimestep;

    /**
     * Reads the input shapes from the ONNX file's header rather than from an ORT session, so building the
     * pipeline loads no weights (a session of an 866M UNet takes 11-35 s to create).
     */
    UNetDenoiser(ModelInfo model, ComponentGroup group, PromptEncoder prompts, int maxPromptTokens,
                 SchedulerConfig schedulerConfig) {
        this.group = group;
        this.prompts = prompts;
        this.maxPromptTokens = maxPromptTokens;
        this.schedulerConfig = schedulerConfig;
        this.schedulers = model.family().schedulers();
        OnnxModelHeader header = OnnxModelHeader.read(model.componentFile(COMPONENT));
        long[] sample = OnnxInputs.shape(header, COMPONENT, "sample");
        OnnxInputs.shape(header, COMPONENT, "encoder_hidden_states");
        long[] timestep = OnnxInputs.shape(header, COMPONENT, "timestep");
        if (sample.length != 4) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "unet input 'sample' has shape "
                    + Arrays.toString(sample) + "; expected [batch, channels, height, width].");
        }
        int configured = UNetConfig.read(model.folder()).inChannels();
        this.inChannels = sample[1] > 0 ? (int) sample[1] : configured > 0 ? configured : 4;
        this.batchOfTwo = sample[0] < 0 || sample[0] == 2;
        // Exports disagree: some take timestep [B], some [1] even for batch 2, some a scalar.
        this.scalarTimestep = timestep.length == 0 || timestep[0] == 1;
    }

    @Override
    public ModelComponent component() {
        return ModelComponent.UNET;
    }

    @Override
    public boolean isInpaintModel() {
        return inChannels == 9;
    }

    @Override
    public int latentChannels() {
        return isInpaintModel() ? 4 : inChannels;
    }

    /** UNets downsample the latent three times: keep every level an integer size. */
    @Override
    public int sizeMultiple(int vaeDownscale) {
        return vaeDownscale * 8;
    }

    @Override
    public Conditioning condition(String prompt, String negative, double guidanceScale, List<String> notes) {
        Guidance guidance = Guidance.stableDiffusion(guidanceScale);
        EncodedPrompt cond = prompts.encode(prompt);
        if (cond.tokens().truncated()) {
            notes.add("The prompt is longer than the model reads (" + maxPromptTokens + " tokens); only this part was used: \""
                    + cond.tokens().keptText() + "\"");
        }
        if (!cond.tokens().unknownWords().isEmpty()) {
            notes.add("The model does not know " + String.join(", ", cond.tokens().unknownWords().stream()
                    .map(w -> "\"" + w + "\"").toList()) + ": those words were read as \"unknown\" and steer nothing."
                    + " See the model's README for the words it knows.");
        }
        if (!guidance.on()) {
            return new Conditioning(cond, null, guidance, null);
        }
        EncodedPrompt uncond = prompts.encode(negative);
        if (uncond.tokens().truncated()) {
            notes.add("The negative prompt was truncated to " + maxPromptTokens + " tokens.");
        }
        float[] batched = batchOfTwo ? concat(uncond.hiddenStates(), cond.hiddenStates()) : null;
        return new Conditioning(cond, uncond, guidance, batched);
    }

    @Override
    public Scheduler scheduler(String schedulerId, Consumer<String> notes) {
        return Schedulers.create(schedulerId, schedulerConfig, schedulers, notes);
    }

    @Override
    public Scheduler newScheduler(String schedulerId, int steps, SizePlan size, Consumer<String> notes) {
        Scheduler s = scheduler(schedulerId, notes);
        s.setTimesteps(steps);
        return s;
    }

    /** diffusers' {@code get_timesteps}: init = min(int(N * strength), N), t_start = N - init. */
    @Override
    public int startIndex(int steps, double strength) {
        int init = Math.min((int) (steps * strength), steps);
        return Math.max(steps - init, 0);
    }

    @Override
    public float[] predict(Latents sample, float[] extra, double timestep, Conditioning c) {
        OnnxComponent unet = group.acquire(COMPONENT);
        float[] input = extra == null ? sample.data() : concat(sample.data(), extra);
        int h = sample.height();
        int w = sample.width();
        if (input.length != inChannels * sample.plane()) {
            throw new IllegalStateException("UNet input has " + input.length / sample.plane() + " channels, model wants " + inChannels);
        }
        EncodedPrompt cond = c.cond();
        if (!c.guided()) {
            return run(unet, input, 1, h, w, timestep, cond.hiddenStates(), cond);
        }
        if (c.batched() != null) {
            float[] both = run(unet, concat(input, input), 2, h, w, timestep, c.batched(), cond);
            int n = both.length / 2;
            return c.guidance().combine(Arrays.copyOfRange(both, n, 2 * n), Arrays.copyOf(both, n));
        }
        float[] u = run(unet, input, 1, h, w, timestep, c.uncond().hiddenStates(), c.uncond());
        float[] out = run(unet, input, 1, h, w, timestep, cond.hiddenStates(), cond);
        return c.guidance().combine(out, u);
    }

    private float[] run(OnnxComponent unet, float[] sample, int batch, int h, int w, double timestep,
                        float[] hidden, EncodedPrompt shapeOf) {
        int steps = scalarTimestep ? 1 : batch;
        float[] t = new float[steps];
        Arrays.fill(t, (float) timestep);
        Map<String, Tensor> out = unet.run(Map.of(
                "sample", Tensor.ofFloats(sample, batch, inChannels, h, w),
                "timestep", Tensor.ofFloats(t, steps),
                "encoder_hidden_states", Tensor.ofFloats(hidden, batch, shapeOf.sequenceLength(), shapeOf.hiddenSize())));
        return OnnxInputs.output(out, "out_sample").floats();
    }

    static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
