package dev.pigment.core.service;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.EngineOptions;
import dev.pigment.core.api.GeneratedImage;
import dev.pigment.core.api.GenerationEngine;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Provenance;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.ContextRegion;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.MaskOps;
import dev.pigment.core.image.Resize;
import dev.pigment.core.image.RgbImage;
import java.awt.Rectangle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Wraps any engine with the promises every edit keeps, whatever the front end and the image size:
 * <ul>
 *   <li>{@code -W/-H} on an edit resize the source (and mask) first;</li>
 *   <li>strength 0 returns the source bit-identical, without running the engine;</li>
 *   <li>unknown {@code --option} keys are refused;</li>
 *   <li>for an engine with a working resolution (a diffusion model): inpainting runs on a
 *       {@link ContextRegion} around the mask at that resolution, image-to-image and restyle run at it
 *       when the source is far from it, and the result is scaled back;</li>
 *   <li>an inpainting result is composited into the source only inside the mask (feathered inwards), so
 *       every pixel outside the mask is bit-identical.</li>
 * </ul>
 */
public final class EditingEngine implements GenerationEngine {
    /** Keeps img2img/restyle at the source's own size (the model may then tile or blur). */
    public static final String NATIVE_SIZE = "native-size";
    /** The composite's inward feather in source pixels; also the pipeline's key. */
    public static final String FEATHER = "feather";
    /**
     * Parameters the wrapper records in provenance; a replayed request may carry them back as options, and
     * they are recomputed, so they are accepted and dropped.
     */
    static final Set<String> RECORDED = Set.of("context-region", "context-size", "context-scale", "working-size");
    /** img2img/restyle sources whose area is within this factor of the working area run as they are. */
    static final double USEFUL_AREA_RATIO = 2.0;

    private final GenerationEngine inner;
    private final WorkingSize working;

    /**
     * @param working the engine's working resolution, or null for engines that work at any size
     *                (the classic ones)
     */
    public EditingEngine(GenerationEngine inner, WorkingSize working) {
        this.inner = java.util.Objects.requireNonNull(inner, "inner");
        this.working = working;
    }

    /** A model's working (trained) resolution. */
    public record WorkingSize(int width, int height) {
        public WorkingSize {
            if (width < 1 || height < 1) {
                throw new IllegalArgumentException("working size " + width + "x" + height);
            }
        }

        long area() {
            return (long) width * height;
        }
    }

    @Override
    public void terminateNativeWork() {
        inner.terminateNativeWork();
    }

    public GenerationEngine inner() {
        return inner;
    }

    @Override
    public Set<Task> supportedTasks() {
        return inner.supportedTasks();
    }

    @Override
    public Set<String> optionKeys(Task task) {
        Set<String> keys = new HashSet<>(inner.optionKeys(task));
        if (working != null && (task == Task.IMAGE_TO_IMAGE || task == Task.RESTYLE)) {
            keys.add(NATIVE_SIZE);
        }
        if (task == Task.INPAINT) {
            keys.add(FEATHER);  // classic engines too: the feather is applied here, not by them
        }
        return keys;
    }

    @Override
    public GenerationResult generate(GenerationRequest request, ProgressListener progress, CancellationToken cancel) {
        if (request.options().keySet().stream().anyMatch(RECORDED::contains)) {
            Map<String, String> kept = new LinkedHashMap<>(request.options());
            kept.keySet().removeAll(RECORDED);
            request = request.toBuilder().options(kept).build();
        }
        EngineOptions.requireKnown(request.options(), optionKeys(request.task()),
                request.modelId() + " (" + request.task().id() + ")");
        if (request.task() == Task.TEXT_TO_IMAGE) {
            return TextToImageNotes.add(inner.generate(request, progress, cancel), request, working);
        }
        List<String> notes = new ArrayList<>();
        GenerationRequest sized = resizedToRequestedSize(request, notes);
        if (sized.strengthOr(1.0) == 0.0 && sized.task() != Task.RESTYLE) {
            return unchanged(sized, notes, "Strength 0 keeps the image: it is returned unchanged.");
        }
        GenerationResult result;
        if (working == null) {
            result = inner.generate(withoutFeather(sized), progress, cancel);
        } else if (sized.task() == Task.INPAINT) {
            result = inpaintInContext(sized, progress, cancel, notes);
        } else {
            result = atWorkingSize(sized, progress, cancel, notes);
        }
        if (sized.task() == Task.INPAINT && (working != null || sized.options().containsKey(FEATHER))) {
            // Classic engines blend by the hard mask themselves; a feather asked of them is applied here.
            result = compositeInsideMask(result, sized);
        }
        return withNotes(result, notes);
    }

    /** The request without the feather, for engines that do not know it (it is applied after them). */
    private static GenerationRequest withoutFeather(GenerationRequest r) {
        if (!r.options().containsKey(FEATHER)) {
            return r;
        }
        Map<String, String> kept = new LinkedHashMap<>(r.options());
        kept.remove(FEATHER);
        return r.toBuilder().options(kept).build();
    }

    /** The size the wrapped model will itself work at for {@code r}: what memory is estimated for. */
    public static int[] runSize(GenerationRequest r, WorkingSize working) {
        if (r.task() == Task.TEXT_TO_IMAGE) {
            return new int[] {r.widthOr(working.width()), r.heightOr(working.height())};
        }
        if (r.task() == Task.INPAINT) {
            return new int[] {working.width(), working.height()};
        }
        int w = r.width() > 0 ? r.width() : r.source().width();
        int h = r.height() > 0 ? r.height() : r.source().height();
        double ratio = (double) w * h / working.area();
        if (r.options().containsKey(NATIVE_SIZE) && EngineOptions.bool(r.options(), NATIVE_SIZE, false)
                || (ratio <= USEFUL_AREA_RATIO && ratio >= 1 / USEFUL_AREA_RATIO)) {
            return new int[] {w, h};
        }
        return ContextRegion.scaledToArea(w, h, working.area());
    }

    /** -W/-H on an edit: the source (and mask) are resized to that size first; one side alone keeps the aspect. */
    static GenerationRequest resizedToRequestedSize(GenerationRequest r, List<String> notes) {
        RgbImage src = r.source();
        if (r.width() == 0 && r.height() == 0) {
            return r;
        }
        int w = r.width() > 0 ? r.width() : Math.max(1, (int) Math.round((double) src.width() * r.height() / src.height()));
        int h = r.height() > 0 ? r.height() : Math.max(1, (int) Math.round((double) src.height() * w / src.width()));
        GenerationRequest.Builder b = r.toBuilder().size(0, 0);
        if (w != src.width() || h != src.height()) {
            notes.add("The source was resized from " + src.width() + "x" + src.height() + " to " + w + "x" + h
                    + " before editing (-W/-H).");
            b.source(Resize.bilinear(src, w, h));
            if (r.mask() != null) {
                b.mask(Resize.bilinear(r.mask(), w, h));
            }
        }
        return b.build();
    }

    private GenerationResult unchanged(GenerationRequest r, List<String> notes, String why) {
        notes.add(why);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("width", Integer.toString(r.source().width()));
        params.put("height", Integer.toString(r.source().height()));
        params.put("strength", "0");
        List<GeneratedImage> images = new ArrayList<>();
        for (int i = 0; i < r.batch(); i++) {
            images.add(new GeneratedImage(r.source(), GeneratedImage.NO_SEED));
        }
        return new GenerationResult(images, Map.of("edit", Duration.ZERO),
                new Provenance(r.modelId(), null, r.task(), r.prompt(), r.negativePrompt(), params), notes);
    }

    /** Inpainting on the context region around the mask, at the model's working resolution. */
    private GenerationResult inpaintInContext(GenerationRequest r, ProgressListener progress, CancellationToken cancel,
                                              List<String> notes) {
        Rectangle bounds = MaskOps.bounds(r.mask());
        if (bounds == null) {
            return inner.generate(r, progress, cancel);
        }
        RgbImage src = r.source();
        ContextRegion ctx = ContextRegion.around(bounds, src.width(), src.height(), working.width(), working.height());
        Rectangle box = ctx.region();
        RgbImage crop = src.crop(box.x, box.y, box.width, box.height);
        Mask maskCrop = cropMask(r.mask(), box);
        // Any mask pixel that survives scaling down counts: the model must repaint all of the hole.
        Mask workMask = Resize.bilinear(maskCrop, ctx.workWidth(), ctx.workHeight()).binarize(1e-6f);
        GenerationRequest.Builder b = r.toBuilder().source(Resize.bilinear(crop, ctx.workWidth(), ctx.workHeight()))
                .mask(workMask).size(0, 0);
        // The composite below feathers at full resolution; feathering at the working size too would only narrow it.
        b.option(FEATHER, "0");
        GenerationResult inside = inner.generate(b.build(), progress, cancel);
        List<GeneratedImage> images = new ArrayList<>();
        for (GeneratedImage g : inside.images()) {
            RgbImage back = Resize.bilinear(g.image(), box.width, box.height);
            images.add(new GeneratedImage(src.paste(back, box.x, box.y), g.seed()));
        }
        String where = box.width + "x" + box.height + "+" + box.x + "+" + box.y;
        String at = ctx.workWidth() + "x" + ctx.workHeight();
        String scale = Provenance.number(Math.round(ctx.scale() * 1000) / 1000.0);
        notes.add("Inpainted the region " + where + " around the mask at the model's resolution " + at
                + " (scale " + scale + ").");
        Map<String, String> params = new LinkedHashMap<>(inside.provenance().parameters());
        params.put("width", Integer.toString(src.width()));
        params.put("height", Integer.toString(src.height()));
        params.put("context-region", where);
        params.put("context-size", at);
        params.put("context-scale", scale);
        return new GenerationResult(images, inside.timings(), withParameters(inside.provenance(), params), inside.notes());
    }

    /** img2img/restyle far from the working size run at it (aspect kept) and are scaled back to the source size. */
    private GenerationResult atWorkingSize(GenerationRequest r, ProgressListener progress, CancellationToken cancel,
                                           List<String> notes) {
        RgbImage src = r.source();
        double ratio = (double) src.pixelCount() / working.area();
        boolean native_ = EngineOptions.bool(r.options(), NATIVE_SIZE, false);
        Map<String, String> innerOptions = new LinkedHashMap<>(r.options());
        innerOptions.remove(NATIVE_SIZE);
        GenerationRequest.Builder b = r.toBuilder();
        b.options(innerOptions);
        if (native_ || (ratio <= USEFUL_AREA_RATIO && ratio >= 1 / USEFUL_AREA_RATIO)) {
            return inner.generate(b.build(), progress, cancel);
        }
        int[] work = ContextRegion.scaledToArea(src.width(), src.height(), working.area());
        GenerationResult at = inner.generate(b.source(Resize.bilinear(src, work[0], work[1])).build(), progress, cancel);
        List<GeneratedImage> images = new ArrayList<>();
        for (GeneratedImage g : at.images()) {
            images.add(new GeneratedImage(Resize.bilinear(g.image(), src.width(), src.height()), g.seed()));
        }
        notes.add("Worked at the model's resolution " + work[0] + "x" + work[1] + " and scaled back to "
                + src.width() + "x" + src.height() + " (--option " + NATIVE_SIZE + "=true works at the source's size).");
        Map<String, String> params = new LinkedHashMap<>(at.provenance().parameters());
        params.put("width", Integer.toString(src.width()));
        params.put("height", Integer.toString(src.height()));
        params.put("working-size", work[0] + "x" + work[1]);
        return new GenerationResult(images, at.timings(), withParameters(at.provenance(), params), at.notes());
    }

    /** Every result pixel outside the mask is the source's; inside, the edit fades in from the mask's edge. */
    private GenerationResult compositeInsideMask(GenerationResult result, GenerationRequest r) {
        RgbImage src = r.source();
        int feather = EngineOptions.integer(r.options(), FEATHER,
                Math.max(1, Math.max(src.width(), src.height()) / 64), 0, 256);
        Rectangle box = MaskOps.bounds(r.mask());
        if (box != null) {
            // A margin of zeros around the bounds, so the inward feather sees the mask's edge on every side.
            box.grow(feather + 1, feather + 1);
            box = box.intersection(new Rectangle(0, 0, src.width(), src.height()));
        }
        List<GeneratedImage> images = new ArrayList<>();
        if (box == null) {
            result.images().forEach(g -> images.add(new GeneratedImage(src, g.seed())));
        } else {
            // Outside the mask's bounds alpha is 0: feather and blend only inside them, so a small hole in a
            // large photo costs little more than the hole.
            Mask alpha = MaskOps.featherInside(cropMask(r.mask(), box), feather);
            RgbImage under = src.crop(box.x, box.y, box.width, box.height);
            for (GeneratedImage g : result.images()) {
                RgbImage over = g.image().crop(box.x, box.y, box.width, box.height);
                images.add(new GeneratedImage(src.paste(under.blend(over, alpha), box.x, box.y), g.seed()));
            }
        }
        Map<String, String> params = new LinkedHashMap<>(result.provenance().parameters());
        params.put(FEATHER, Integer.toString(feather));
        return new GenerationResult(images, result.timings(), withParameters(result.provenance(), params), result.notes());
    }

    /** The mask over {@code box}; an 8-bit mask converts only that region. */
    private static Mask cropMask(Mask m, Rectangle box) {
        return m.crop(box.x, box.y, box.width, box.height);
    }

    private static Provenance withParameters(Provenance p, Map<String, String> params) {
        return new Provenance(p.modelId(), p.modelSha256(), p.task(), p.prompt(), p.negativePrompt(), params);
    }

    static GenerationResult withNotes(GenerationResult r, List<String> before) {
        if (before.isEmpty()) {
            return r;
        }
        List<String> all = new ArrayList<>(before);
        all.addAll(r.notes());
        return new GenerationResult(r.images(), r.timings(), r.provenance(), all);
    }

    @Override
    public void close() {
        inner.close();
    }
}
