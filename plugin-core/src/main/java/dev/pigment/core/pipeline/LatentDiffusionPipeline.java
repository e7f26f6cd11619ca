package dev.pigment.core.pipeline;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GeneratedImage;
import dev.pigment.core.api.GenerationEngine;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Provenance;
import dev.pigment.core.api.Task;
import dev.pigment.core.classic.Fills;
import dev.pigment.core.classic.ReinhardTransfer;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.MaskOps;
import dev.pigment.core.image.Resize;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelComponent;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.VaeConfig;
import dev.pigment.core.runtime.ComponentGroup;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.sched.Scheduler;
import dev.pigment.core.sched.SchedulerConfig;
import dev.pigment.core.sched.TorchGenerator;
import dev.pigment.core.model.ExportConventions;
import dev.pigment.core.text.ChatTemplateTokenizer;
import dev.pigment.core.text.ClipPromptEncoder;
import dev.pigment.core.text.LlmPromptEncoder;
import dev.pigment.core.text.PromptTokenizer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Latent diffusion for every family (diffusers ONNX layout: text encoder, denoiser, VAE): text-to-image,
 * image-to-image, inpainting (latent blending, or 9-channel inpainting UNets) and restyle (colour transfer
 * plus SDEdit). What differs between families (the network call, prompt encoding, guidance rule, timestep
 * plan) is the {@link Denoiser}'s; what a task decides lives here once. Reads top to bottom like
 * diffusers' pipelines: prepare images, encode prompts, denoise each image, decode, composite.
 */
public final class LatentDiffusionPipeline implements GenerationEngine {
    /** Default VAE tile in latent cells (512 px at f=8): larger images are tiled. */
    static final int DEFAULT_VAE_TILE = 64;
    /** Reinhard transfer in Lab: moves colour statistics only, so the structure stays the diffusion model's. */
    private static final ReinhardTransfer COLOUR_MATCH = new ReinhardTransfer();

    private final ModelInfo model;
    private final ComponentGroup components;
    /** The prompt tokenizer (native memory), closed with the pipeline. */
    private AutoCloseable tokenizer;
    private final Denoiser denoiser;
    private final Vae vae;
    private final Decoders decoders;

    public LatentDiffusionPipeline(ModelInfo model, RuntimeOptions options) {
        this.model = model;
        this.components = new ComponentGroup(options);
        try {
            for (ModelComponent c : model.family().requiredComponents()) {
                components.add(c.folder(), model.componentFile(c));
            }
            if (model.hasComponent(ModelComponent.VAE_ENCODER)) {
                components.add(Vae.ENCODER, model.componentFile(ModelComponent.VAE_ENCODER));
            }
            this.denoiser = newDenoiser(model, SchedulerConfig.parse(model.schedulerConfig()));
            this.vae = new Vae(components, VaeConfig.read(model.folder()), denoiser.latentChannels(), DEFAULT_VAE_TILE);
            this.decoders = new Decoders(vae, TinyDecoder.register(components, model, vae.downscale()),
                    java.util.Optional.ofNullable(model.manifest().latentRgb()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The one place that maps a family to its denoiser: exhaustive, so a new family cannot be forgotten. */
    private Denoiser newDenoiser(ModelInfo model, SchedulerConfig schedulerConfig) {
        String textEncoder = ModelComponent.TEXT_ENCODER.folder();
        return switch (model.family()) {
            case STABLE_DIFFUSION -> {
                PromptTokenizer clip = PromptTokenizer.load(model.tokenizerDir());
                tokenizer = clip;
                yield new UNetDenoiser(model, components,
                        new ClipPromptEncoder(clip, () -> components.acquire(textEncoder)), clip.maxLength(),
                        schedulerConfig);
            }
            case FLOW_MATCH_DIT -> {
                ExportConventions export = FlowTransformerDenoiser.conventions(model);
                ChatTemplateTokenizer chat = ChatTemplateTokenizer.load(model.tokenizerDir(), export.promptTemplate(),
                        export.maxPromptTokens());
                tokenizer = chat;
                yield new FlowTransformerDenoiser(model, components,
                        new LlmPromptEncoder(chat, () -> components.acquire(textEncoder)), schedulerConfig);
            }
            case CLASSIC -> throw new IllegalArgumentException("the classic engines are not a latent diffusion model");
        };
    }

    /** The model's components, for tests that count sessions. */
    ComponentGroup components() {
        return components;
    }

    @Override
    public Set<Task> supportedTasks() {
        return vae.canEncode() ? EnumSet.of(Task.TEXT_TO_IMAGE, Task.IMAGE_TO_IMAGE, Task.INPAINT, Task.RESTYLE)
                : EnumSet.of(Task.TEXT_TO_IMAGE);
    }

    @Override
    public Set<String> optionKeys(Task task) {
        return Settings.optionKeys(task);
    }

    public ModelInfo model() {
        return model;
    }

    /** Total time spent inside ONNX Runtime since this pipeline was created. */
    public long onnxRunNanos() {
        return components.totalRunNanos();
    }

    @Override
    public GenerationResult generate(GenerationRequest request, ProgressListener progress, CancellationToken cancel) {
        try {
            return generateImages(request, progress, cancel);
        } finally {
            // One-at-a-time: nothing stays loaded between generations (perf, issue 13).
            components.endGeneration();
        }
    }

    private GenerationResult generateImages(GenerationRequest request, ProgressListener progress,
                                            CancellationToken cancel) {
        if (!supportedTasks().contains(request.task())) {
            throw PigmentException.badRequest(model.id() + " cannot do " + request.task().id() + ": it does "
                    + supportedTasks().stream().map(Task::id).toList() + ".");
        }
        List<String> notes = deviceNotes();
        PhaseTimer timer = new PhaseTimer();
        Settings s = Settings.resolve(request, model, denoiser, vae.downscale(), notes);
        boolean tinyFinal = decoders.tinyFinal(request, model.id());
        cancel.throwIfCancelled();
        if (request.task() == Task.INPAINT && request.mask().isEmpty()) {
            return unchanged(request, s, timer, notes);
        }

        // 1. Source and mask at a size the denoiser accepts (padded to a multiple, cropped back at the end).
        SizePlan size = s.size();
        if (request.source() != null) {
            progress.onProgress(Progress.of(Phase.ENCODE_IMAGE, 0, 1));
        }
        Canvas canvas = timer.time(Phase.ENCODE_IMAGE.id(), () -> prepareCanvas(request, size, s, cancel));

        // 2. Prompts.
        progress.onProgress(Progress.of(Phase.ENCODE_PROMPT, 0, 1));
        Conditioning prompts = timer.time(Phase.ENCODE_PROMPT.id(),
                () -> denoiser.condition(request.prompt(), request.negativePrompt(), s.guidance(), notes))
                .withReferences(referenceLatents(request, size, canvas));
        cancel.throwIfCancelled();

        // 3. Denoise every image of the batch (all denoiser work before any decoding, so a one-at-a-time
        //    memory policy loads the denoiser once).
        if (!tinyFinal) {
            // The VAE decoder's session creation (0.5-0.7 s for SD's VAE) runs beside the denoising steps.
            components.prefetch(Vae.DECODER);
        }
        List<float[]> latents = new ArrayList<>();
        for (int i = 0; i < request.batch(); i++) {
            long seed = s.seed() + i;
            int index = i;
            latents.add(timer.time(Phase.DENOISE.id(), () -> denoise(s, canvas, prompts, seed, index, progress, cancel)));
        }

        // 4. Decode, crop back, composite.
        List<GeneratedImage> images = new ArrayList<>();
        for (int i = 0; i < latents.size(); i++) {
            cancel.throwIfCancelled();
            progress.onProgress(new Progress(Phase.DECODE, i, latents.size(), i, null));
            float[] l = latents.get(i);
            RgbImage decoded = timer.time(Phase.DECODE.id(), () -> decoders.decodeFinal(l, denoiser.latentChannels(),
                    size.latentHeight(), size.latentWidth(), tinyFinal));
            images.add(new GeneratedImage(finish(decoded, request, size, s), s.seed() + i));
        }
        progress.onProgress(new Progress(Phase.DECODE, latents.size(), latents.size(), latents.size() - 1, null));
        return new GenerationResult(images, timer.timings(), provenance(request, s, tinyFinal), notes);
    }

    /** A GPU device is named in every result's notes (the CPU, the default, is not). */
    private List<String> deviceNotes() {
        List<String> notes = new ArrayList<>();
        if (!components.options().device().isCpu()) {
            notes.add("Ran on " + components.options().device().id() + " (ONNX Runtime's GPU provider).");
        }
        return notes;
    }

    /** An empty inpaint mask: the source back for every image of the batch, with a note. */
    private GenerationResult unchanged(GenerationRequest request, Settings s, PhaseTimer timer, List<String> notes) {
        notes.add("The mask is empty, so nothing was repainted: select the area to change.");
        List<GeneratedImage> unchanged = new ArrayList<>();
        for (int i = 0; i < request.batch(); i++) {
            unchanged.add(new GeneratedImage(request.source(), s.seed() + i));
        }
        return new GenerationResult(unchanged, timer.timings(), provenance(request, s), notes);
    }

    private Provenance provenance(GenerationRequest request, Settings s) {
        return provenance(request, s, false);
    }

    private Provenance provenance(GenerationRequest request, Settings s, boolean tinyDecoder) {
        Map<String, String> parameters = new LinkedHashMap<>(s.parameters());
        if (tinyDecoder) {
            parameters.put(Decoders.OPTION, Decoders.TINY);
        }
        parameters.put("onnxruntime", dev.pigment.core.runtime.RuntimeInfo.onnxRuntimeVersion());
        parameters.put("device", components.options().device().id());
        return new Provenance(model.id(), model.manifest() == null ? null
                : model.manifest().sha256().get(denoiser.component().folder() + "/model.onnx"), request.task(), request.prompt(),
                request.negativePrompt(), parameters);
    }

    private Canvas prepareCanvas(GenerationRequest request, SizePlan size, Settings s, CancellationToken cancel) {
        if (request.task() == Task.TEXT_TO_IMAGE) {
            return denoiser.isInpaintModel() ? blankInpaintCanvas(size) : Canvas.EMPTY;
        }
        RgbImage source = size.pad(request.source());
        if (request.task() == Task.RESTYLE) {
            // Restyle = the source recoloured after the reference, then re-imagined (SDEdit) at
            // `strength`; finish() matches the result's colours to the reference once more.
            source = COLOUR_MATCH.transfer(source, request.references().get(0), s.styleStrength(),
                    ProgressListener.NONE, cancel);
        }
        Mask mask = request.mask() == null ? null : size.pad(request.mask());
        if (mask != null && !s.prefill().equals(Settings.NO_PREFILL)) {
            // Below full strength the hole's old content shows through; replace it with a plausible
            // fill from its surroundings first (krita-ai-diffusion's "fill" mode does the same).
            source = Fills.forMode(s.prefill()).fill(source, mask.binarize(0.5f), cancel);
        }
        float[] imageLatents = vae.encode(source);
        cancel.throwIfCancelled();
        if (mask == null) {
            return new Canvas(imageLatents, null, null, styleLatents(request, size, s));
        }
        int lw = size.latentWidth();
        int lh = size.latentHeight();
        float[] latentMask = Resize.nearest(mask.binarize(0.5f).data(), mask.width(), mask.height(), lw, lh);
        float[] extra = null;
        if (denoiser.isInpaintModel()) {
            // diffusers: masked_image = image * (mask < 0.5), encoded like the source.
            float[] px = source.data().clone();
            float[] m = mask.data();
            int n = m.length;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < n; i++) {
                    if (m[i] >= 0.5f) {
                        px[c * n + i] = 0.5f;
                    }
                }
            }
            float[] maskedLatents = vae.encode(RgbImage.wrap(source.width(), source.height(), px));
            extra = new float[latentMask.length + maskedLatents.length];
            System.arraycopy(latentMask, 0, extra, 0, latentMask.length);
            System.arraycopy(maskedLatents, 0, extra, latentMask.length, maskedLatents.length);
        }
        return new Canvas(imageLatents, latentMask, extra, null);
    }

    /**
     * Text-to-image on a 9-channel inpainting UNet, as A1111 does: the whole canvas is the hole (mask 1) and the
     * masked image is blank (the grey diffusers puts in holes), so the model paints everything from the prompt.
     */
    private Canvas blankInpaintCanvas(SizePlan size) {
        float[] grey = new float[3 * size.paddedWidth() * size.paddedHeight()];
        java.util.Arrays.fill(grey, 0.5f);
        float[] blank = vae.encode(RgbImage.wrap(size.paddedWidth(), size.paddedHeight(), grey));
        int plane = size.latentWidth() * size.latentHeight();
        float[] extra = new float[plane + blank.length];
        java.util.Arrays.fill(extra, 0, plane, 1f);
        System.arraycopy(blank, 0, extra, plane, blank.length);
        return new Canvas(null, null, extra, null);
    }

    /**
     * Reference images as latents at the working size, for a denoiser that takes reference tokens (restyle, or any
     * image task whose request carries references); none otherwise. Restyle's first is already encoded.
     */
    private List<float[]> referenceLatents(GenerationRequest request, SizePlan size, Canvas canvas) {
        if (!denoiser.takesReferenceTokens() || request.task() == Task.TEXT_TO_IMAGE || request.references().isEmpty()) {
            return List.of();
        }
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < request.references().size(); i++) {
            out.add(i == 0 && canvas.styleLatents() != null ? canvas.styleLatents()
                    : vae.encode(Resize.bilinear(request.references().get(i), size.paddedWidth(), size.paddedHeight())));
        }
        return out;
    }

    /** Restyle: the reference's latents at the canvas size, whose statistics the denoising loop follows. */
    private float[] styleLatents(GenerationRequest request, SizePlan size, Settings s) {
        if (request.task() != Task.RESTYLE || s.styleStrength() <= 0) {
            return null;
        }
        return vae.encode(Resize.bilinear(request.references().get(0), size.paddedWidth(), size.paddedHeight()));
    }

    private float[] denoise(Settings s, Canvas canvas, Conditioning conditioning, long seed, int imageIndex,
                            ProgressListener progress, CancellationToken cancel) {
        // Settings already resolved the id and told its warnings; building it again says nothing new.
        Scheduler scheduler = denoiser.newScheduler(s.schedulerId(), s.steps(), s.size(), warning -> { });
        double[] timesteps = scheduler.timesteps();
        int total = timesteps.length;
        int start = s.task() == Task.TEXT_TO_IMAGE ? 0 : denoiser.startIndex(total, s.strength());
        int lh = s.size().latentHeight();
        int lw = s.size().latentWidth();
        int channels = denoiser.latentChannels();

        TorchGenerator generator = new TorchGenerator(seed);
        float[] noise = generator.randn(channels * lh * lw);
        float[] latents;
        if (canvas.imageLatents() == null || start == 0) {
            latents = noise.clone();
            float sigma = (float) scheduler.initNoiseSigma();
            for (int i = 0; i < latents.length; i++) {
                latents[i] *= sigma;
            }
        } else {
            latents = scheduler.addNoise(canvas.imageLatents(), noise, start);
        }
        boolean blend = canvas.latentMask() != null && !denoiser.isInpaintModel();

        progress.onProgress(new Progress(Phase.DENOISE, 0, total - start, imageIndex, null));
        for (int i = start; i < total; i++) {
            cancel.throwIfCancelled();
            float[] input = latents.clone();
            scheduler.scaleModelInput(input, i);
            float[] prediction = denoiser.predict(new Latents(input, channels, lh, lw), canvas.inpaintChannels(),
                    timesteps[i], conditioning);
            latents = scheduler.step(prediction, i, latents, generator);
            if (blend) {
                // Outside the mask, follow the source re-noised to the next step's level (none after the last).
                float[] known = i < total - 1 ? scheduler.addNoise(canvas.imageLatents(), noise, i + 1) : canvas.imageLatents();
                blendKnown(latents, known, canvas.latentMask(), channels);
            }
            if (canvas.styleLatents() != null) {
                float[] style = i < total - 1 ? scheduler.addNoise(canvas.styleLatents(), noise, i + 1) : canvas.styleLatents();
                LatentStyle.match(latents, style, channels, LatentStyle.weight(s.styleStrength(), i, start, total));
            }
            RgbImage preview = progress.wantsPreview() ? decoders.preview(latents, channels, lh, lw) : null;
            progress.onProgress(new Progress(Phase.DENOISE, i - start + 1, total - start, imageIndex, preview));
        }
        return latents;
    }

    private static void blendKnown(float[] latents, float[] known, float[] mask, int channels) {
        int n = mask.length;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                float m = mask[i];
                int k = c * n + i;
                latents[k] = (1f - m) * known[k] + m * latents[k];
            }
        }
    }

    /** Crops the padding away and, for inpainting, puts the source back outside the mask (feathered inwards). */
    private RgbImage finish(RgbImage decoded, GenerationRequest request, SizePlan size, Settings s) {
        RgbImage image = size.cropBack(decoded);
        if (request.task() == Task.RESTYLE) {
            return COLOUR_MATCH.transfer(image, request.references().get(0), s.styleStrength(),
                    ProgressListener.NONE, CancellationToken.none());
        }
        if (request.task() == Task.INPAINT) {
            // Feathered inwards: nothing outside the user's mask may change.
            Mask soft = MaskOps.featherInside(request.mask(), s.featherRadius());
            return request.source().blend(image, soft);
        }
        return image;
    }

    @Override
    public void terminateNativeWork() {
        if (components != null) {
            components.terminateRuns();
        }
    }

    @Override
    public void close() {
        if (components != null) {
            components.close();
        }
        if (tokenizer != null) {
            try {
                tokenizer.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the tokenizer failed", e);
            }
        }
    }

    /** Latents of the source (scaled), the mask at latent size, and the extra UNet channels of inpaint models. */
    private record Canvas(float[] imageLatents, float[] latentMask, float[] inpaintChannels, float[] styleLatents) {
        static final Canvas EMPTY = new Canvas(null, null, null, null);
    }

    /** Wall time per phase, summed over repeated phases, in first-seen order. */
    private static final class PhaseTimer {
        private final Map<String, Long> nanos = new LinkedHashMap<>();

        <T> T time(String phase, java.util.function.Supplier<T> work) {
            long t0 = System.nanoTime();
            try {
                return work.get();
            } finally {
                nanos.merge(phase, System.nanoTime() - t0, Long::sum);
            }
        }

        Map<String, java.time.Duration> timings() {
            Map<String, java.time.Duration> out = new LinkedHashMap<>();
            nanos.forEach((k, v) -> out.put(k, java.time.Duration.ofNanos(v)));
            return out;
        }
    }
}
