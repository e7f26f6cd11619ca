package dev.pigment.core.pipeline;

import dev.pigment.core.api.EngineOptions;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Provenance;
import dev.pigment.core.api.Task;
import dev.pigment.core.classic.Fills;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.Recommended;
import dev.pigment.core.sched.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request's parameters with every default resolved against the model's recommendations:
 * what actually runs, and what provenance records.
 */
record Settings(Task task, SizePlan size, int steps, double guidance, String schedulerId, String schedulerName,
                double strength, double styleStrength, long seed, int batch, int featherRadius, String prefill) {

    /** The {@code fill} option value that leaves the hole's content as it is before denoising. */
    static final String NO_PREFILL = "none";

    /** Default strengths, as diffusers and A1111 use them. */
    static final double IMG2IMG_STRENGTH = 0.75;
    static final double INPAINT_STRENGTH = 1.0;
    static final double RESTYLE_STRENGTH = 0.5;
    static final double STYLE_STRENGTH = 1.0;

    /** @param downscale the VAE's pixels per latent cell */
    static Settings resolve(GenerationRequest r, ModelInfo model, Denoiser denoiser, int downscale, List<String> notes) {
        EngineOptions.requireKnown(r.options(), optionKeys(r.task()), model.id() + " (" + r.task().id() + ")");
        Recommended rec = model.recommended();
        int width = r.widthOr(rec.width());
        int height = r.heightOr(rec.height());
        int sizeMultiple = denoiser.sizeMultiple(downscale);
        SizePlan size = SizePlan.of(width, height, sizeMultiple, downscale);
        if (size.padded() && r.task() == Task.TEXT_TO_IMAGE) {
            notes.add("Generated at " + size.paddedWidth() + "x" + size.paddedHeight() + " and cropped to "
                    + width + "x" + height + " (the model needs multiples of " + sizeMultiple + ").");
        }
        String requested = r.scheduler() != null ? r.scheduler() : rec.scheduler();
        Scheduler probe = denoiser.scheduler(requested, notes::add);
        double strength = switch (r.task()) {
            case IMAGE_TO_IMAGE -> r.strengthOr(IMG2IMG_STRENGTH);
            case INPAINT -> r.strengthOr(INPAINT_STRENGTH);
            case RESTYLE -> r.strengthOr(RESTYLE_STRENGTH);
            default -> 1.0;
        };
        long seed = r.resolvedSeed();
        int longSide = Math.max(width, height);
        int feather = 0;
        String prefill = NO_PREFILL;
        if (r.task() == Task.INPAINT) {
            feather = EngineOptions.integer(r.options(), "feather", Math.max(1, longSide / 64), 0, 256);
            prefill = r.option("fill", strength < 1.0 ? Fills.BLUR : NO_PREFILL);
            if (!prefill.equals(NO_PREFILL) && !Fills.MODES.contains(prefill)) {
                throw PigmentException.badRequest("fill=" + prefill + " is not a fill mode: use none, "
                        + String.join(", ", Fills.MODES) + ".");
            }
        }
        return new Settings(r.task(), size, r.stepsOr(rec.steps()), r.guidanceOr(rec.guidance()), probe.id(),
                probe.displayName(), strength, r.styleStrengthOr(STYLE_STRENGTH), seed, r.batch(), feather, prefill);
    }

    /** The options the pipeline reads for a task. */
    static Set<String> optionKeys(Task task) {
        return task == Task.INPAINT ? Set.of("feather", "fill", Decoders.OPTION) : Set.of(Decoders.OPTION);
    }

    Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("steps", Integer.toString(steps));
        p.put("scheduler", schedulerName);
        p.put("guidance", Provenance.number(guidance));
        p.put("width", Integer.toString(size.width()));
        p.put("height", Integer.toString(size.height()));
        if (task != Task.TEXT_TO_IMAGE) {
            p.put("strength", Provenance.number(strength));
        }
        if (task == Task.RESTYLE) {
            p.put("style-strength", Provenance.number(styleStrength));
        }
        if (batch > 1) {
            p.put("batch", Integer.toString(batch));
        }
        if (task == Task.INPAINT) {
            p.put("feather", Integer.toString(featherRadius));
            p.put("fill", prefill);
        }
        return p;
    }

}
