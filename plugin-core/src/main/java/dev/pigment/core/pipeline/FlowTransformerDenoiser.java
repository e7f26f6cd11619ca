package dev.pigment.core.pipeline;

import dev.pigment.core.api.PigmentException;
import dev.pigment.core.model.ExportConventions;
import dev.pigment.core.model.ModelComponent;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.OnnxModelHeader;
import dev.pigment.core.model.TransformerConfig;
import dev.pigment.core.runtime.ComponentGroup;
import dev.pigment.core.runtime.OnnxComponent;
import dev.pigment.core.runtime.Tensor;
import dev.pigment.core.sched.FlowMatchEulerScheduler;
import dev.pigment.core.sched.Scheduler;
import dev.pigment.core.sched.SchedulerConfig;
import dev.pigment.core.sched.Schedulers;
import dev.pigment.core.text.EncodedPrompt;
import dev.pigment.core.text.PromptEncoder;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The flow-matching DiT family's denoiser (Z-Image layout): latents patchified into tokens, caption and image
 * tokens padded to the export's multiple with 3-axis position ids as diffusers' {@code patchify_and_embed} makes
 * them (passed as ids, or as RoPE cos/sin tables computed from them when the export says {@code "rope": "tables"}), the timestep as the export states it ({@code 1 - sigma} for Z-Image), the output negated when the export
 * says so, and guidance {@code cond + g * (cond - uncond)} on when g &gt; 0 (pipeline_z_image.py).
 */
final class FlowTransformerDenoiser implements Denoiser {
    private static final String COMPONENT = ModelComponent.TRANSFORMER.folder();

    private final ComponentGroup group;
    private final PromptEncoder prompts;
    private final int maxPromptTokens;
    private final SchedulerConfig schedulerConfig;
    private final List<String> schedulers;
    private final TransformerConfig config;
    private final ExportConventions conventions;
    /**
     * Position ids (or RoPE tables) and pad masks depend only on the layout, which stays the same for every step
     * of a generation; kept for the last two layouts (cond and uncond captions may differ in length).
     */
    private final Map<TokenLayout, Map<String, Tensor>> positions = Collections.synchronizedMap(
            new LinkedHashMap<>(4, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<TokenLayout, Map<String, Tensor>> eldest) {
                    return size() > 2;
                }
            });

    FlowTransformerDenoiser(ModelInfo model, ComponentGroup group, PromptEncoder prompts, SchedulerConfig schedulerConfig) {
        this.group = group;
        this.prompts = prompts;
        this.schedulerConfig = schedulerConfig;
        this.schedulers = model.family().schedulers();
        this.config = TransformerConfig.read(model.folder());
        this.conventions = conventions(model);
        this.maxPromptTokens = conventions.maxPromptTokens();
        OnnxModelHeader header = OnnxModelHeader.read(model.componentFile(COMPONENT));
        for (String input : ModelComponent.TRANSFORMER.requiredInputs(conventions)) {
            OnnxInputs.shape(header, COMPONENT, input);
        }
    }

    /** pigment.json's export conventions, Z-Image's when it states none. */
    static ExportConventions conventions(ModelInfo model) {
        ExportConventions declared = model.manifest().export();
        return declared != null ? declared : ExportConventions.Z_IMAGE;
    }

    @Override
    public ModelComponent component() {
        return ModelComponent.TRANSFORMER;
    }

    @Override
    public int latentChannels() {
        return config.inChannels();
    }

    /** The VAE's factor times the patch size: Z-Image needs multiples of 16 px. */
    @Override
    public int sizeMultiple(int vaeDownscale) {
        return vaeDownscale * config.patchSize();
    }

    @Override
    public boolean isInpaintModel() {
        return false;
    }

    @Override
    public boolean takesReferenceTokens() {
        return conventions.takesReferenceTokens();
    }

    @Override
    public Conditioning condition(String prompt, String negative, double guidanceScale, List<String> notes) {
        Guidance guidance = Guidance.zImage(guidanceScale);
        EncodedPrompt cond = prompts.encode(prompt);
        if (cond.tokens().truncated()) {
            notes.add("The prompt is longer than the model reads (" + maxPromptTokens + " tokens with its chat template);"
                    + " only this part was used: \"" + cond.tokens().keptText() + "\"");
        }
        if (!guidance.on()) {
            return new Conditioning(cond, null, guidance, null);
        }
        EncodedPrompt uncond = prompts.encode(negative);
        if (uncond.tokens().truncated()) {
            notes.add("The negative prompt was truncated to " + maxPromptTokens + " tokens.");
        }
        return new Conditioning(cond, uncond, guidance, null);
    }

    @Override
    public Scheduler scheduler(String schedulerId, Consumer<String> notes) {
        return Schedulers.create(schedulerId, schedulerConfig, schedulers, notes);
    }

    /** Z-Image's plan: sigmas linspace(1, 1/N, N), shifted by the scheduler; mu from the token count if dynamic. */
    @Override
    public Scheduler newScheduler(String schedulerId, int steps, SizePlan size, Consumer<String> notes) {
        Scheduler s = scheduler(schedulerId, notes);
        if (!(s instanceof FlowMatchEulerScheduler flow)) {
            throw new IllegalStateException("flow-match-dit allows only flow-matching schedulers, got " + s.id());
        }
        int p = config.patchSize();
        checkPositions(size);
        flow.setMu(flow.calculateShift((size.latentHeight() / p) * (size.latentWidth() / p)));
        flow.setSigmas(FlowMatchEulerScheduler.zImageSigmas(steps));
        return flow;
    }

    /** Row and column position ids must stay inside the RoPE tables the export holds (axes_lens). */
    private void checkPositions(SizePlan size) {
        int p = config.patchSize();
        int[] lens = config.axesLens();
        if (size.latentHeight() / p > lens[1] || size.latentWidth() / p > lens[2]) {
            int step = p * size.downscale();
            throw PigmentException.badRequest(size.paddedWidth() + "x" + size.paddedHeight() + " is larger than this "
                    + "model's position tables allow: at most " + lens[2] * step + "x" + lens[1] * step
                    + " (transformer/config.json axes_lens " + java.util.Arrays.toString(lens) + "). Use a smaller size.");
        }
    }

    /** pipeline_z_image_img2img.get_timesteps: init = min(N * strength, N) as a float, t_start = int(N - init). */
    @Override
    public int startIndex(int steps, double strength) {
        double init = Math.min(steps * strength, steps);
        return (int) Math.max(steps - init, 0);
    }

    @Override
    public float[] predict(Latents sample, float[] extra, double timestep, Conditioning c) {
        if (extra != null) {
            throw new IllegalStateException("DiT denoisers take no extra inpaint channels");
        }
        OnnxComponent transformer = group.acquire(COMPONENT);
        float t = switch (conventions.timestep()) {
            case "1-sigma" -> (1000f - (float) timestep) / 1000f;
            default -> (float) timestep / 1000f;
        };
        int p = config.patchSize();
        float[] tokens = withReferences(sample, c.references());
        int gridHeight = sample.height() / p;
        int gridWidth = sample.width() / p;
        int kept = sample.data().length;
        int refs = c.references().size();
        float[] out = run(transformer, tokens, gridHeight, gridWidth, refs, t, c.cond(), kept);
        if (c.guided()) {
            out = c.guidance().combine(out, run(transformer, tokens, gridHeight, gridWidth, refs, t, c.uncond(), kept));
        }
        if (conventions.negateOutput()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = -out[i];
            }
        }
        return Latents.unpatchify(out, p, sample.channels(), sample.height(), sample.width()).data();
    }

    /**
     * The sample's tokens, then each reference's (latents at the sample's size) when the export declares reference
     * tokens; a model without the declaration never receives them.
     */
    private float[] withReferences(Latents sample, List<float[]> references) {
        int p = config.patchSize();
        float[] tokens = sample.patchify(p);
        if (references.isEmpty()) {
            return tokens;
        }
        if (!conventions.takesReferenceTokens()) {
            throw new IllegalStateException("reference tokens given to a transformer whose export declares none");
        }
        float[] all = Arrays.copyOf(tokens, tokens.length * (1 + references.size()));
        for (int r = 0; r < references.size(); r++) {
            float[] ref = new Latents(references.get(r), sample.channels(), sample.height(), sample.width()).patchify(p);
            System.arraycopy(ref, 0, all, tokens.length * (1 + r), tokens.length);
        }
        return all;
    }

    /** Runs one call; only the first {@code kept} values (the noisy image's tokens) go on to the scheduler. */
    private float[] run(OnnxComponent transformer, float[] tokens, int gridHeight, int gridWidth, int references,
                        float t, EncodedPrompt caption, int kept) {
        int width = config.patchSize() * config.patchSize() * config.inChannels();
        TokenLayout layout = new TokenLayout(gridHeight, gridWidth, caption.sequenceLength(), conventions.padTokensTo(),
                references, conventions.referenceScale());
        if (layout.lastFrame() >= config.axesLens()[0]) {
            throw PigmentException.badRequest(references + " reference image(s) need frame position "
                    + layout.lastFrame() + ", beyond this model's axes_lens[0] = " + config.axesLens()[0]
                    + " (transformer/config.json). Use fewer references or a shorter prompt.");
        }
        int imageRows = layout.imageTotal();
        int captionRows = layout.captionTotal();
        Map<String, Tensor> inputs = new HashMap<>(positions.computeIfAbsent(layout, this::positionInputs));
        inputs.put("hidden_states", Tensor.ofFloats(TokenLayout.padRows(tokens, width, imageRows), 1, imageRows, width));
        inputs.put("encoder_hidden_states", Tensor.ofFloats(TokenLayout.padRows(caption.hiddenStates(),
                caption.hiddenSize(), captionRows), 1, captionRows, caption.hiddenSize()));
        inputs.put("timestep", Tensor.ofFloats(new float[] {t}, 1));
        Map<String, Tensor> out = transformer.run(inputs);
        return Arrays.copyOf(OnnxInputs.output(out, "sample").floats(), kept);
    }

    /** The pad masks and positions of {@code layout}: the inputs that do not change from step to step. */
    private Map<String, Tensor> positionInputs(TokenLayout layout) {
        Map<String, Tensor> inputs = new HashMap<>();
        inputs.put("img_pad_mask", Tensor.ofLongs(layout.imagePadMask(), layout.imageTotal()));
        inputs.put("txt_pad_mask", Tensor.ofLongs(layout.captionPadMask(), layout.captionTotal()));
        putPositions(inputs, "img", layout.imageIds(), layout.imageTotal());
        putPositions(inputs, "txt", layout.captionIds(), layout.captionTotal());
        return Map.copyOf(inputs);
    }

    /** {prefix}_ids, or {prefix}_cos and {prefix}_sin for a "rope": "tables" export. */
    private void putPositions(Map<String, Tensor> inputs, String prefix, long[] ids, int rows) {
        if (!ExportConventions.ROPE_TABLES.equals(conventions.rope())) {
            inputs.put(prefix + "_ids", Tensor.ofLongs(ids, rows, 3));
            return;
        }
        RopeTables tables = RopeTables.of(config, ids);
        inputs.put(prefix + "_cos", Tensor.ofFloats(tables.cos(), rows, tables.columns()));
        inputs.put(prefix + "_sin", Tensor.ofFloats(tables.sin(), rows, tables.columns()));
    }
}
