package dev.pigment.core.bench;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationEngine;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.classic.ClassicEngine;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.pipeline.LatentDiffusionPipeline;
import dev.pigment.core.runtime.MemoryPolicy;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.service.EditingEngine;
import dev.pigment.core.service.EditingEngineTest;
import dev.pigment.core.service.MemoryEstimate;
import dev.pigment.core.service.MemoryGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Time and peak RSS of inpainting a 10% hole (an ellipse) in a procedural photo, one job per JVM, for
 * docs/benchmarks.md. {@code before} runs the engine on the whole image (what Pigment did before the
 * context crop); {@code after} runs it behind {@link EditingEngine} (context region at the model's size,
 * composited inside the mask). A "before" run the memory guard estimates above MemAvailable is not started;
 * its estimate is printed instead.
 *
 * <pre>  InpaintScalingBenchmark MODELS_DIR demo|classic WIDTH HEIGHT before|after</pre>
 * Prints: {@code engine size mode seconds peak-MB}.
 */
public final class InpaintScalingBenchmark {
    private InpaintScalingBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path models = Path.of(args[0]);
        String engineId = args[1];
        int w = Integer.parseInt(args[2]);
        int h = Integer.parseInt(args[3]);
        boolean after = args[4].equals("after");
        RgbImage photo = EditingEngineTest.photo(w, h, 1);
        // pi * 0.178^2 = 0.0995 of the image: a 10% hole.
        Mask hole = EditingEngineTest.ellipse(w, h, w / 2, h / 2, (int) (0.178 * w), (int) (0.178 * h));
        GenerationRequest request = GenerationRequest.builder(Task.INPAINT).model(engineId).source(photo).mask(hole)
                .prompt("red heart").seed(1).build();
        ModelInfo model = engineId.equals("classic") ? null : new ModelRegistry(List.of(models)).resolve(engineId);
        if (model != null && !after) {
            MemoryEstimate e = MemoryGuard.forThisMachine().estimate(model, MemoryPolicy.KEEP_LOADED, false, w, h, true,
                    photo.pixelCount());
            if (e.total() > memAvailable()) {
                System.out.printf("%s %dx%d %s not-run estimate %s%n", engineId, w, h, args[4], MemoryEstimate.human(e.total()));
                return;
            }
        }
        long t0 = System.nanoTime();
        try (GenerationEngine engine = engine(model, after)) {
            engine.generate(request, ProgressListener.NONE, CancellationToken.none());
        } catch (PigmentException e) {
            System.out.printf("%s %dx%d %s failed %s%n", engineId, w, h, args[4], e.getMessage());
            return;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "%s %dx%d %s %.1f s %d MB%n", engineId, w, h, args[4], seconds,
                status("VmHWM") >> 20);
    }

    private static GenerationEngine engine(ModelInfo model, boolean after) {
        GenerationEngine inner = model == null ? new ClassicEngine()
                : new LatentDiffusionPipeline(model, RuntimeOptions.defaults());
        if (!after) {
            return inner;
        }
        return new EditingEngine(inner, model == null ? null
                : new EditingEngine.WorkingSize(model.recommended().width(), model.recommended().height()));
    }

    private static long memAvailable() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return Long.MAX_VALUE;
    }

    private static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
