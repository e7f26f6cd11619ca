package dev.pigment.core.bench;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.pipeline.LatentDiffusionPipeline;
import dev.pigment.core.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Pipeline overhead: wall time of whole generations divided by the time spent inside ONNX Runtime's
 * run calls, measured in the same process (so machine noise cancels). 1.00 means the Java side
 * (tokenising, scheduler maths, tensor copies, blending, VAE tiling) costs nothing; target <= 1.03.
 *
 * <p>Run: {@code mvn -q -B -pl plugin-core test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.pigment.core.bench.PipelineOverheadBenchmark -Dexec.args="MODEL_DIR_OR_ID [steps] [size] [runs] [threads]"}
 */
public final class PipelineOverheadBenchmark {
    private PipelineOverheadBenchmark() {
    }

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "demo";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        ModelInfo info = ModelRegistry.standard(List.of(Path.of("models"), Path.of("../models"))).resolve(model);
        try (LatentDiffusionPipeline pipeline = new LatentDiffusionPipeline(info, threads > 0 ? RuntimeOptions.defaults().withThreads(threads) : RuntimeOptions.defaults())) {
            for (Task task : List.of(Task.TEXT_TO_IMAGE, Task.IMAGE_TO_IMAGE, Task.INPAINT)) {
                measure(pipeline, info, task, steps, size, runs);
            }
        }
    }

    private static void measure(LatentDiffusionPipeline pipeline, ModelInfo info, Task task, int steps, int size, int runs) {
        int w = size > 0 ? size : info.recommended().width();
        int h = size > 0 ? size : info.recommended().height();
        dev.pigment.core.image.RgbImage source = dev.pigment.core.image.RgbImage.filled(w, h, 0.8f, 0.3f, 0.2f);
        GenerationRequest.Builder b = GenerationRequest.builder(task).model(info.id()).prompt("red heart")
                .steps(steps).guidance(5).size(w, h).seed(1);
        if (task != Task.TEXT_TO_IMAGE) {
            b.source(source).strength(task == Task.INPAINT ? 1.0 : 0.6);
        }
        if (task == Task.INPAINT) {
            b.mask(dev.pigment.core.image.Mask.rectangle(w, h, w / 4, h / 4, w / 2, h / 2));
        }
        GenerationRequest request = b.build();
        for (int i = 0; i < 5; i++) {
            pipeline.generate(request, ProgressListener.NONE, CancellationToken.none()); // warm-up: sessions, JIT
        }
        long ort0 = pipeline.onnxRunNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            pipeline.generate(request, ProgressListener.NONE, CancellationToken.none());
        }
        long wall = System.nanoTime() - t0;
        long ort = pipeline.onnxRunNanos() - ort0;
        System.out.printf(Locale.ROOT, "%-15s %dx%d %d steps x %d runs: wall %.1f ms/image, inside ONNX Runtime %.1f ms/image, overhead ratio %.3f%n",
                task.id(), w, h, steps, runs, wall / 1e6 / runs, ort / 1e6 / runs, (double) wall / ort);
    }
}
