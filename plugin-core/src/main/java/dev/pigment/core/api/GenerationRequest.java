package dev.pigment.core.api;

import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one job needs, validated on construction. Build with {@link #builder(Task)}.
 *
 * <p>Unset numeric parameters are 0 (steps, width, height) or NaN (guidance, strength) and mean
 * "the model's recommendation"; engines resolve them with {@code orDefault}-style helpers.
 *
 * @param task            what to do
 * @param modelId         a model id from the registry, or {@code "classic"} for the weight-free engines
 * @param prompt          what to draw; may be empty
 * @param negativePrompt  what to steer away from; may be empty
 * @param width           output width in pixels, 0 = the model's recommended (or the source's) size; on an
 *                        edit the source (and mask) are resized to it first (one of width/height keeps the aspect)
 * @param height          output height in pixels, 0 = as above
 * @param steps           denoising steps, 0 = recommended
 * @param guidance        classifier-free guidance scale, NaN = recommended; 0 or 1 (anything up to 1) turns
 *                        guidance off (one model call per step, the negative prompt unused), above 1 it is on
 * @param scheduler       scheduler name (e.g. "euler", "dpm++2m-karras"), null = the model's own
 * @param strength        image-to-image / inpaint / restyle strength in [0,1], NaN = default
 * @param seed            seed of the first image; -1 = random (the seed actually used is in the result)
 * @param batch           number of images; image i uses seed + i
 * @param source          the image to edit (img2img, inpaint, restyle), else null
 * @param mask            inpaint mask, same size as source, 1 = repaint; else null
 * @param references      reference images for restyle
 * @param styleStrength   how strongly references apply, in [0,1], NaN = default
 * @param options         engine-specific options (e.g. classic "patch-size"); keys are lower-case-dashed
 */
public record GenerationRequest(
        Task task,
        String modelId,
        String prompt,
        String negativePrompt,
        int width,
        int height,
        int steps,
        double guidance,
        String scheduler,
        double strength,
        long seed,
        int batch,
        RgbImage source,
        Mask mask,
        List<RgbImage> references,
        double styleStrength,
        Map<String, String> options) {

    /** Prompts longer than this are refused outright (the encoders truncate far earlier and say so). */
    public static final int MAX_PROMPT_CHARS = 4000;
    /** Largest side accepted: beyond this a single image no longer fits a modest machine. */
    public static final int MAX_SIDE = 8192;
    public static final int MAX_STEPS = 500;
    public static final int MAX_BATCH = 64;
    public static final long RANDOM_SEED = -1;

    /**
     * The seed to run with: the requested one, or for {@link #RANDOM_SEED} a fresh one in 0..2^32-1 (what every
     * engine records and replays), so all engines draw seeds the same way.
     */
    public long resolvedSeed() {
        return seed == RANDOM_SEED ? java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 32) : seed;
    }

    public GenerationRequest {
        Objects.requireNonNull(task, "task");
        if (modelId == null || modelId.isBlank()) {
            throw PigmentException.badRequest("No model given: pass a model id (see 'pigment models') or 'classic'.");
        }
        prompt = prompt == null ? "" : prompt;
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        if (prompt.length() > MAX_PROMPT_CHARS) {
            throw PigmentException.badRequest("The prompt is " + prompt.length() + " characters long; the limit is "
                    + MAX_PROMPT_CHARS + ". Shorten it (models only read the first few dozen words anyway).");
        }
        if (negativePrompt.length() > MAX_PROMPT_CHARS) {
            throw PigmentException.badRequest("The negative prompt is " + negativePrompt.length()
                    + " characters long; the limit is " + MAX_PROMPT_CHARS + ".");
        }
        checkSide("width", width);
        checkSide("height", height);
        if (steps < 0 || steps > MAX_STEPS) {
            throw PigmentException.badRequest("steps=" + steps + " is out of range: use 1.." + MAX_STEPS + " (or 0 for the model's default).");
        }
        if (!Double.isNaN(guidance) && (guidance < 0 || guidance > 100)) {
            throw PigmentException.badRequest("guidance=" + guidance + " is out of range: use 0..100 (1 or less turns guidance off).");
        }
        if (!Double.isNaN(strength) && (strength < 0 || strength > 1)) {
            throw PigmentException.badRequest("strength=" + strength + " is out of range: use a value in [0, 1].");
        }
        if (!Double.isNaN(styleStrength) && (styleStrength < 0 || styleStrength > 1)) {
            throw PigmentException.badRequest("style strength=" + styleStrength + " is out of range: use a value in [0, 1].");
        }
        if (seed < RANDOM_SEED) {
            throw PigmentException.badRequest("seed=" + seed + " is out of range: use a non-negative number, or -1 for a random seed.");
        }
        if (batch < 1 || batch > MAX_BATCH) {
            throw PigmentException.badRequest("batch=" + batch + " is out of range: use 1.." + MAX_BATCH + ".");
        }
        if (seed > Long.MAX_VALUE - (batch - 1)) {
            // Image i uses seed + i: every one of them must be a seed that could be asked for again.
            throw PigmentException.badRequest("seed=" + seed + " with batch=" + batch + " would give image " + batch
                    + " a seed past the largest one (" + Long.MAX_VALUE + "): use a seed up to "
                    + (Long.MAX_VALUE - (batch - 1)) + ".");
        }
        references = references == null ? List.of() : List.copyOf(references);
        options = options == null ? Map.of() : Map.copyOf(options);
        switch (task) {
            case TEXT_TO_IMAGE -> { }
            case IMAGE_TO_IMAGE -> requireSource(task, source);
            case INPAINT -> {
                requireSource(task, source);
                if (mask == null) {
                    throw PigmentException.badRequest("Inpainting needs a mask (white = repaint): select the area to change.");
                }
                if (mask.width() != source.width() || mask.height() != source.height()) {
                    throw PigmentException.badRequest("The mask is " + mask.width() + "x" + mask.height()
                            + " but the image is " + source.width() + "x" + source.height()
                            + ": the mask must be exactly the image's size.");
                }
            }
            case RESTYLE -> {
                requireSource(task, source);
                if (references.isEmpty()) {
                    throw PigmentException.badRequest("Restyle needs a reference image: give the image whose look to copy.");
                }
            }
        }
        if (mask != null && source == null) {
            throw PigmentException.badRequest("A mask was given without a source image to apply it to.");
        }
    }

    private static void checkSide(String name, int value) {
        if (value < 0 || value > MAX_SIDE) {
            throw PigmentException.badRequest(name + "=" + value + " is out of range: use 1.." + MAX_SIDE
                    + " pixels (or 0 for the model's default).");
        }
    }

    private static void requireSource(Task task, RgbImage source) {
        if (source == null) {
            throw PigmentException.badRequest(task.id() + " needs a source image: open or pass the image to edit.");
        }
    }

    /** The output size: the explicit size, else the source's, else the given default. */
    public int widthOr(int fallback) {
        return width > 0 ? width : source != null ? source.width() : fallback;
    }

    public int heightOr(int fallback) {
        return height > 0 ? height : source != null ? source.height() : fallback;
    }

    public int stepsOr(int fallback) {
        return steps > 0 ? steps : fallback;
    }

    public double guidanceOr(double fallback) {
        return Double.isNaN(guidance) ? fallback : guidance;
    }

    public double strengthOr(double fallback) {
        return Double.isNaN(strength) ? fallback : strength;
    }

    public double styleStrengthOr(double fallback) {
        return Double.isNaN(styleStrength) ? fallback : styleStrength;
    }

    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    /**
     * A builder from text parameters named as in {@link RequestKeys} (macro options, JSON fields, provenance):
     * known keys set the fields, each with a message naming the bad value; other keys become engine options.
     * Images (source, mask, references) are not text: set them on the returned builder.
     */
    public static Builder fromParameters(Map<String, String> parameters) {
        return RequestKeys.decode(parameters);
    }

    public static Builder builder(Task task) {
        return new Builder(task);
    }

    public Builder toBuilder() {
        Builder b = new Builder(task);
        b.modelId = modelId;
        b.prompt = prompt;
        b.negativePrompt = negativePrompt;
        b.width = width;
        b.height = height;
        b.steps = steps;
        b.guidance = guidance;
        b.scheduler = scheduler;
        b.strength = strength;
        b.seed = seed;
        b.batch = batch;
        b.source = source;
        b.mask = mask;
        b.references = references;
        b.styleStrength = styleStrength;
        b.options = new java.util.LinkedHashMap<>(options);
        return b;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private Task task;
        private String modelId;
        private String prompt = "";
        private String negativePrompt = "";
        private int width;
        private int height;
        private int steps;
        private double guidance = Double.NaN;
        private String scheduler;
        private double strength = Double.NaN;
        private long seed = RANDOM_SEED;
        private int batch = 1;
        private RgbImage source;
        private Mask mask;
        private List<RgbImage> references = List.of();
        private double styleStrength = Double.NaN;
        private Map<String, String> options = new java.util.LinkedHashMap<>();

        private Builder(Task task) {
            this.task = Objects.requireNonNull(task, "task");
        }

        public Builder task(Task v) { this.task = Objects.requireNonNull(v, "task"); return this; }
        public Builder model(String v) { this.modelId = v; return this; }
        public Builder prompt(String v) { this.prompt = v; return this; }
        public Builder negativePrompt(String v) { this.negativePrompt = v; return this; }
        public Builder size(int w, int h) { this.width = w; this.height = h; return this; }
        public Builder steps(int v) { this.steps = v; return this; }
        public Builder guidance(double v) { this.guidance = v; return this; }
        public Builder scheduler(String v) { this.scheduler = v; return this; }
        public Builder strength(double v) { this.strength = v; return this; }
        public Builder seed(long v) { this.seed = v; return this; }
        public Builder batch(int v) { this.batch = v; return this; }
        public Builder source(RgbImage v) { this.source = v; return this; }
        public Builder mask(Mask v) { this.mask = v; return this; }
        public Builder references(List<RgbImage> v) { this.references = v; return this; }
        public Builder reference(RgbImage v) { this.references = List.of(v); return this; }
        public Builder styleStrength(double v) { this.styleStrength = v; return this; }
        public Builder option(String key, String value) { this.options.put(key, value); return this; }
        /** Replaces every option. */
        public Builder options(Map<String, String> v) { this.options = new java.util.LinkedHashMap<>(v); return this; }

        public GenerationRequest build() {
            return new GenerationRequest(task, modelId, prompt, negativePrompt, width, height, steps, guidance,
                    scheduler, strength, seed, batch, source, mask, references, styleStrength, options);
        }
    }
}
