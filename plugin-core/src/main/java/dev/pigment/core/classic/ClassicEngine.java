package dev.pigment.core.classic;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.EngineOptions;
import dev.pigment.core.api.GeneratedImage;
import dev.pigment.core.api.GenerationEngine;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Provenance;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The weight-free engine, model id {@value #MODEL_ID}: inpainting and restyling that work with no model
 * installed, behind the same request/result/progress/cancel contract as the diffusion pipelines.
 *
 * <p>{@link Task#INPAINT}: fills what the mask covers (mask above 0.5 is the hole) from the rest of the
 * image. The result is blended over the source by mask x strength, so pixels where the mask is 0 are
 * bit-identical to the source and soft mask edges blend. Options:
 * <ul>
 *   <li>{@code fill} = {@code patchmatch} (default, exemplar-based) | {@code telea} | {@code blur} | {@code neutral}</li>
 *   <li>{@code patch-size} = odd 3..31, default 5 (patchmatch)</li>
 *   <li>{@code search} = {@code band} (default) | {@code image}; {@code band-width} = pixels around the hole, default 80</li>
 *   <li>{@code avoid} = rectangles {@code x,y,w,h[;x,y,w,h...]} the fill never copies from (patchmatch)</li>
 *   <li>{@code transforms} = {@code none} (default) | {@code mirror} | {@code rotate}: source patches may also be
 *       mirrored / rotated by quarter turns (patchmatch)</li>
 *   <li>{@code radius} = 1..100, default 5 (telea)</li>
 * </ul>
 * Strength ({@code request.strength}, default 1) scales the mask.
 *
 * <p>{@link Task#RESTYLE}: the source takes the look of {@code references.get(0)}. Options:
 * <ul>
 *   <li>{@code method} = {@code color} (default, Reinhard mean/std) | {@code distribution} (Pitié IDT,
 *       sliced optimal transport) | {@code texture} (patch-based, image analogies)</li>
 *   <li>{@code space} = {@code lab} (default) | {@code lalphabeta} (color, distribution)</li>
 *   <li>{@code preserve-luminance} = true | false (default false)</li>
 *   <li>{@code keep-neutrals} = true (default) | false: near-white and near-black areas keep their colour (color)</li>
 *   <li>{@code iterations} = 1..200, default 20 (distribution)</li>
 *   <li>{@code patch-size} = odd 3..15, default 5 (texture)</li>
 * </ul>
 * Strength: {@code request.styleStrength}, else {@code request.strength}, else 1.
 *
 * <p>Seed: {@code request.seed}, or a random one for -1; image i of a batch uses seed + i, recorded in
 * its {@link GeneratedImage}. PatchMatch, distribution and texture depend on it; the others draw nothing
 * random and record {@link GeneratedImage#NO_SEED}.
 */
public final class ClassicEngine implements GenerationEngine {
    public static final String MODEL_ID = "classic";

    private static final List<String> INPAINT_KEYS = List.of("fill", "patch-size", "search", "band-width", "avoid",
            "transforms", "radius");
    private static final List<String> RESTYLE_KEYS = List.of("method", "space", "preserve-luminance", "iterations",
            "patch-size", "keep-neutrals");
    public static final List<String> METHODS = List.of("color", "distribution", "texture");
    private static final List<String> SPACES = List.of("lab", "lalphabeta");

    @Override
    public Set<Task> supportedTasks() {
        return EnumSet.of(Task.INPAINT, Task.RESTYLE);
    }

    @Override
    public Set<String> optionKeys(Task task) {
        return switch (task) {
            case INPAINT -> Set.copyOf(INPAINT_KEYS);
            case RESTYLE -> Set.copyOf(RESTYLE_KEYS);
            default -> Set.of();
        };
    }

    @Override
    public GenerationResult generate(GenerationRequest request, ProgressListener progress, CancellationToken cancel) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancel, "cancel");
        if (!supportedTasks().contains(request.task())) {
            throw PigmentException.badRequest("The classic engine does inpaint and restyle only; "
                    + request.task().id() + " needs a diffusion model (see 'pigment models').");
        }
        cancel.throwIfCancelled();
        List<String> notes = new ArrayList<>();
        RgbImage src = request.source();
        if ((request.width() > 0 && request.width() != src.width())
                || (request.height() > 0 && request.height() != src.height())) {
            notes.add("The classic engine keeps the source size " + src.width() + "x" + src.height()
                    + "; the requested size " + request.width() + "x" + request.height() + " was ignored.");
        }
        long seed = request.resolvedSeed();
        return request.task() == Task.INPAINT
                ? inpaint(request, src, seed, notes, progress, cancel)
                : restyle(request, src, seed, notes, progress, cancel);
    }

    private GenerationResult inpaint(GenerationRequest request, RgbImage src, long seed, List<String> notes,
                                     ProgressListener progress, CancellationToken cancel) {
        Map<String, String> options = request.options();
        EngineOptions.requireKnown(options, INPAINT_KEYS, "the classic engine's inpaint");
        String fill = Options.choice(options, "fill", Fills.PATCHMATCH, Fills.MODES);
        double strength = request.strengthOr(1.0);
        Mask mask = request.mask();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("width", Integer.toString(src.width()));
        params.put("height", Integer.toString(src.height()));
        params.put("strength", Provenance.number(strength));
        params.put("fill", fill);
        HoleFiller probe = Fills.forMode(fill, options, seed);
        // Only PatchMatch draws random numbers; the other fills are deterministic and record no seed.
        boolean seeded = probe instanceof PatchMatchInpainter;
        if (seeded) {
            params.put("seed", Long.toString(seed));
        }
        if (probe instanceof PatchMatchInpainter pm) {
            params.put("patch-size", Integer.toString(pm.patchSize()));
            params.put("search", pm.bandSearch() ? "band" : "image");
            if (pm.bandSearch()) {
                params.put("band-width", Integer.toString(pm.bandWidth()));
            }
            if (pm.settings().transforms() > 1) {
                params.put("transforms", pm.settings().transformsName());
            }
            if (!pm.avoid().isEmpty()) {
                params.put("avoid", pm.avoid().describe());
            }
        } else if (probe instanceof TeleaInpainter t) {
            params.put("radius", Integer.toString(t.radius()));
        }
        Provenance provenance = new Provenance(MODEL_ID, null, Task.INPAINT, request.prompt(),
                request.negativePrompt(), params);
        List<GeneratedImage> images = new ArrayList<>();
        Map<String, Duration> timings = new LinkedHashMap<>();
        if (mask.coverage() == 0) {
            notes.add(mask.isEmpty()
                    ? "The mask is empty: nothing to repaint, the image is returned unchanged."
                    : "No mask pixel is above 0.5, so there is no hole to fill: the image is returned unchanged.");
            for (int i = 0; i < request.batch(); i++) {
                images.add(new GeneratedImage(src, GeneratedImage.NO_SEED));
            }
            timings.put("fill", Duration.ZERO);
            return new GenerationResult(images, timings, provenance, notes);
        }
        Mask alpha = scaled(mask, strength);
        long t0 = System.nanoTime();
        for (int i = 0; i < request.batch(); i++) {
            HoleFiller filler = i == 0 ? probe : Fills.forMode(fill, options, seed + i);
            RgbImage filled = filler.fill(src, mask, indexed(progress, i), cancel);
            images.add(new GeneratedImage(src.blend(filled, alpha), seeded ? seed + i : GeneratedImage.NO_SEED));
        }
        timings.put("fill", Duration.ofNanos(System.nanoTime() - t0));
        return new GenerationResult(images, timings, provenance, notes);
    }

    private GenerationResult restyle(GenerationRequest request, RgbImage src, long seed, List<String> notes,
                                     ProgressListener progress, CancellationToken cancel) {
        Map<String, String> options = request.options();
        EngineOptions.requireKnown(options, RESTYLE_KEYS, "the classic engine's restyle");
        String method = Options.choice(options, "method", "color", METHODS);
        ColorSpaces.Space space = ColorSpaces.Space.fromId(Options.choice(options, "space", "lab", SPACES));
        boolean preserve = Options.bool(options, "preserve-luminance", false);
        boolean keepNeutrals = Options.bool(options, "keep-neutrals", true);
        double strength = request.styleStrengthOr(request.strengthOr(1.0));
        if (request.references().size() > 1) {
            notes.add("The classic engine uses only the first of the " + request.references().size()
                    + " reference images.");
        }
        RgbImage reference = request.references().get(0);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("width", Integer.toString(src.width()));
        params.put("height", Integer.toString(src.height()));
        params.put("style-strength", Provenance.number(strength));
        // Colour transfer is deterministic: only the distribution and texture methods use the seed.
        boolean seeded = !method.equals("color");
        if (seeded) {
            params.put("seed", Long.toString(seed));
        }
        params.put("method", method);
        int iterations = Options.integer(options, "iterations", DistributionTransfer.DEFAULT_ITERATIONS, 1, 200);
        int patchSize = Options.integer(options, "patch-size", PatchStyleTransfer.DEFAULT_PATCH_SIZE, 3, 15);
        if (!method.equals("texture")) {
            params.put("space", space.id());
        }
        params.put("preserve-luminance", Boolean.toString(preserve));
        if (method.equals("color")) {
            params.put("keep-neutrals", Boolean.toString(keepNeutrals));
        }
        if (method.equals("distribution")) {
            params.put("iterations", Integer.toString(iterations));
        } else if (method.equals("texture")) {
            params.put("patch-size", Integer.toString(patchSize));
        }
        params.put("reference-size", reference.width() + "x" + reference.height());
        Provenance provenance = new Provenance(MODEL_ID, null, Task.RESTYLE, request.prompt(),
                request.negativePrompt(), params);
        List<GeneratedImage> images = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < request.batch(); i++) {
            StyleTransfer transfer = switch (method) {
                case "distribution" -> new DistributionTransfer(space, preserve, iterations, seed + i);
                case "texture" -> new PatchStyleTransfer(patchSize, preserve, seed + i);
                default -> new ReinhardTransfer(space, preserve, keepNeutrals);
            };
            images.add(new GeneratedImage(transfer.transfer(src, reference, strength, indexed(progress, i), cancel),
                    seeded ? seed + i : GeneratedImage.NO_SEED));
        }
        Map<String, Duration> timings = new LinkedHashMap<>();
        timings.put("restyle", Duration.ofNanos(System.nanoTime() - t0));
        return new GenerationResult(images, timings, provenance, notes);
    }

    private static Mask scaled(Mask mask, double strength) {
        if (strength == 1.0) {
            return mask;
        }
        float[] d = mask.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (d[i] * strength);
        }
        return Mask.wrap(mask.width(), mask.height(), d);
    }

    private static ProgressListener indexed(ProgressListener progress, int index) {
        if (index == 0) {
            return progress;
        }
        return new ProgressListener() {
            @Override
            public void onProgress(Progress p) {
                progress.onProgress(new Progress(p.phase(), p.step(), p.totalSteps(), index, p.preview()));
            }

            @Override
            public boolean wantsPreview() {
                return progress.wantsPreview();
            }
        };
    }

}
