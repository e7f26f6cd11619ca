package dev.pigment.core.bench;

import ai.djl.engine.Engine;
import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.MemoryPolicy;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.service.GenerationService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One real Pigment text-to-image on the synthetic Z-Image folder ({@link ZImageFolder}), through
 * {@link GenerationService} as {@code pigment generate --model <folder>} runs it (same service, same runtime
 * options as the CLI's {@code --memory-policy} and {@code --threads}), in this fresh JVM: prints the peak RSS
 * (VmHWM) at each phase change and the seconds of each denoising step as a {@code RESULT} line.
 *
 * <p>Run: {@code ZImagePigmentRun <dir> <blocks> <size> <steps> <one|keep> [int4|fp16]} ({@code --prompt} prints
 * the prompt, for the same run through the launcher). Step 1 includes the
 * transformer's load under one-at-a-time (the session is created at its first call), so s/step is read from
 * step 2 on.
 */
public final class ZImagePigmentRun {
    /** Words the synthetic folder's tokenizer knows: with the chat template, 53 tokens, padded to 64 (as raw ORT). */
    static final String PROMPT = ("a small red house under a big old tree , with a white cat and a black dog on "
            + "the table in the dark , over the blue sea and the green mountain , a new light in the sky ! "
            + "an old river of yellow light under the white sky");

    private ZImagePigmentRun() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--prompt")) {
            System.out.println(PROMPT);
            return;
        }
        if (args[0].equals("--estimate")) {
            estimate(Path.of(args[1]).toAbsolutePath(), Integer.parseInt(args[2]), args[3]);
            return;
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        int blocks = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        MemoryPolicy policy = args[4].equals("keep") ? MemoryPolicy.KEEP_LOADED : MemoryPolicy.ONE_AT_A_TIME;
        ZImageFolder.ensure(dir, blocks, args.length > 5 ? args[5] : "int4");
        Engine.getEngine("OnnxRuntime");
        long before = ChildJvm.statusKb("VmHWM");
        RuntimeOptions options = RuntimeOptions.defaults().withThreads(2).withMemoryPolicy(policy);
        PhasePeaks peaks = new PhasePeaks();
        GenerationRequest request = GenerationRequest.builder(Task.TEXT_TO_IMAGE).model(dir.getFileName().toString())
                .prompt(PROMPT).size(size, size).steps(steps).seed(1).build();
        GenerationResult result;
        try (GenerationService service = new GenerationService(new ModelRegistry(List.of(dir.getParent())), options,
                GenerationService.defaultBudget())) {
            result = service.run(request, peaks, CancellationToken.none());
        }
        peaks.end();
        StringJoiner out = new StringJoiner(" ", "RESULT runner=pigment ", "");
        out.add("size=" + size).add("policy=" + args[4]).add("steps=" + steps);
        out.add(String.format(Locale.ROOT, "peak_mb=%d start_mb=%d", ChildJvm.statusKb("VmHWM") / 1024, before / 1024));
        peaks.phasePeaks.forEach((phase, kb) -> out.add(phase + "_peak_mb=" + kb / 1024));
        out.add("step_s=" + String.join(",", peaks.stepSeconds()));
        result.timings().forEach((k, v) -> out.add(k + "_s=" + String.format(Locale.ROOT, "%.1f", v.toNanos() / 1e9)));
        Runtime rt = Runtime.getRuntime();
        out.add("heap_max_mb=" + rt.maxMemory() / (1 << 20)).add("heap_committed_mb=" + rt.totalMemory() / (1 << 20));
        out.add("notes=" + result.notes().size());
        result.notes().forEach(n -> System.out.println("note: " + n));
        System.out.println(out);
    }

    /** What Pigment's memory guard expects this run to take (no model is loaded): {@code --estimate <dir> <size> <one|keep>}. */
    private static void estimate(Path dir, int size, String policy) {
        var model = new ModelRegistry(List.of(dir.getParent())).resolve(dir.getFileName().toString());
        var e = dev.pigment.core.service.MemoryGuard.forThisMachine().estimate(model, policy.equals("keep")
                ? MemoryPolicy.KEEP_LOADED : MemoryPolicy.ONE_AT_A_TIME, false, size, size, false, 0, PROMPT);
        System.out.printf(Locale.ROOT, "RESULT runner=guard size=%d policy=%s total_mb=%d weights_mb=%d attention_mb=%d "
                + "decoder_mb=%d images_mb=%d runtime_mb=%d%n", size, policy, e.total() >> 20, e.weights() >> 20,
                e.attention() >> 20, e.decoder() >> 20, e.images() >> 20, e.runtime() >> 20);
    }

    /** VmHWM when each phase ends (the peak so far, so each figure covers its phase and the ones before). */
    private static final class PhasePeaks implements ProgressListener {
        final Map<String, Long> phasePeaks = new LinkedHashMap<>();
        final List<Long> stepTimes = new ArrayList<>();
        final List<Long> stepCpu = new ArrayList<>();
        Phase current;

        @Override
        public void onProgress(Progress p) {
            if (p.phase() != current) {
                end();
                current = p.phase();
            }
            if (p.phase() == Phase.DENOISE) {
                stepTimes.add(System.nanoTime());
                stepCpu.add(((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean()).getProcessCpuTime());
            }
        }

        void end() {
            if (current != null) {
                phasePeaks.put(current.id(), ChildJvm.statusKb("VmHWM"));
            }
        }

        /** Per step: wall seconds / CPU seconds of the process (2 threads: CPU / 2 ~ wall on idle cores). */
        List<String> stepSeconds() {
            List<String> s = new ArrayList<>();
            for (int i = 1; i < stepTimes.size(); i++) {
                s.add(String.format(Locale.ROOT, "%.1f/%.1fcpu", (stepTimes.get(i) - stepTimes.get(i - 1)) / 1e9,
                        (stepCpu.get(i) - stepCpu.get(i - 1)) / 1e9));
            }
            return s;
        }
    }
}
