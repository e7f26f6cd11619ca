package dev.pigment.core.bench;

import ai.djl.engine.Engine;
import dev.pigment.core.runtime.ComponentGroup;
import dev.pigment.core.runtime.MemoryPolicy;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.runtime.Tensor;
import dev.pigment.core.text.ClipPromptEncoder;
import dev.pigment.core.text.EncodedPrompt;
import dev.pigment.core.text.PromptTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Peak resident memory of one text-to-image run (text encoder twice for classifier-free guidance,
 * a few UNet steps at batch 2, VAE decode) under {@link MemoryPolicy#KEEP_LOADED} versus
 * {@link MemoryPolicy#ONE_AT_A_TIME}, on a synthetic model whose UNet holds 512 MiB of weights.
 *
 * <p>Each policy runs in a fresh JVM (peak RSS, VmHWM in /proc/self/status, cannot be reset), with
 * identical JVM flags, alternating policies; the figure is the ratio ONE_AT_A_TIME / KEEP_LOADED.
 *
 * <pre>
 * mvn -q -B -o -pl plugin-core test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/bench.cp
 * java -cp plugin-core/target/test-classes:plugin-core/target/classes:$(cat plugin-core/target/bench.cp) \
 *     dev.pigment.core.bench.MemoryPolicyBenchmark [--dir D] [--unet-layers 32] [--steps 4] [--threads 1] [--repeats 2]
 * </pre>
 */
public final class MemoryPolicyBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Path dir = Path.of(opts.getOrDefault("--dir", "plugin-core/target/bench-models/synthetic-sd"));
        int layers = Integer.parseInt(opts.getOrDefault("--unet-layers", "32"));
        int steps = Integer.parseInt(opts.getOrDefault("--steps", "4"));
        int threads = Integer.parseInt(opts.getOrDefault("--threads", "1"));
        if (opts.containsKey("--child")) {
            child(dir, MemoryPolicy.valueOf(opts.get("--child")), steps, threads);
            return;
        }
        int repeats = Integer.parseInt(opts.getOrDefault("--repeats", "2"));
        long t0 = System.nanoTime();
        SyntheticSdModel.ensure(dir, layers);
        System.out.printf(Locale.ROOT, "synthetic model in %s (%.1f s to prepare): text_encoder %s, unet %s, "
                        + "vae_decoder %s%n", dir, (System.nanoTime() - t0) / 1e9, size(dir.resolve("text_encoder")),
                size(dir.resolve("unet")), size(dir.resolve("vae_decoder")));

        Map<MemoryPolicy, List<Map<String, String>>> results = new HashMap<>();
        for (int r = 0; r < repeats; r++) {
            for (MemoryPolicy policy : List.of(MemoryPolicy.KEEP_LOADED, MemoryPolicy.ONE_AT_A_TIME)) {
                Map<String, String> result = runChild(dir, policy, steps, threads);
                results.computeIfAbsent(policy, p -> new ArrayList<>()).add(result);
                System.out.println("  " + policy + " run " + (r + 1) + ": " + result);
            }
        }
        double keep = median(results.get(MemoryPolicy.KEEP_LOADED), "peak_mb");
        double one = median(results.get(MemoryPolicy.ONE_AT_A_TIME), "peak_mb");
        double keepModel = median(results.get(MemoryPolicy.KEEP_LOADED), "model_peak_mb");
        double oneModel = median(results.get(MemoryPolicy.ONE_AT_A_TIME), "model_peak_mb");
        System.out.printf(Locale.ROOT, "%nPeak RSS (VmHWM), median of %d fresh JVMs each:%n", repeats);
        System.out.printf(Locale.ROOT, "  KEEP_LOADED    %7.0f MB  (%6.0f MB above the JVM+engine baseline)%n",
                keep, keepModel);
        System.out.printf(Locale.ROOT, "  ONE_AT_A_TIME  %7.0f MB  (%6.0f MB above the JVM+engine baseline)%n",
                one, oneModel);
        System.out.printf(Locale.ROOT, "  ratio ONE_AT_A_TIME / KEEP_LOADED = %.3f (whole process), %.3f (above "
                + "baseline)%n", one / keep, oneModel / keepModel);
    }

    private static Map<String, String> runChild(Path dir, MemoryPolicy policy, int steps, int threads)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC",
                "-Dai.djl.offline=true", "-Dai.djl.default_engine=OnnxRuntime", "-DOPT_OUT_TRACKING=true",
                "-cp", System.getProperty("java.class.path"),
                MemoryPolicyBenchmark.class.getName(),
                "--child", policy.name(), "--dir", dir.toString(), "--steps", Integer.toString(steps),
                "--threads", Integer.toString(threads)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        return ChildJvm.results(pb, "benchmark child for " + policy);
    }

    /** One generation in this (fresh) JVM; prints a RESULT line. */
    private static void child(Path dir, MemoryPolicy policy, int steps, int threads) {
        Engine.getEngine("OnnxRuntime");
        RuntimeOptions options = RuntimeOptions.defaults().withThreads(threads).withMemoryPolicy(policy);
        long start = System.nanoTime();
        try (PromptTokenizer tokenizer = PromptTokenizer.load(dir.resolve("tokenizer"));
             ComponentGroup group = new ComponentGroup(options)) {
            for (String name : List.of("text_encoder", "unet", "vae_decoder")) {
                group.add(name, dir.resolve(name).resolve("model.onnx"));
            }
            long baseline = ChildJvm.statusKb("VmHWM");
            ClipPromptEncoder encoder = new ClipPromptEncoder(tokenizer, () -> group.acquire("text_encoder"));
            EncodedPrompt cond = encoder.encode("a photo of an astronaut riding a horse on the moon");
            EncodedPrompt uncond = encoder.encode("");
            float[] context = new float[2 * cond.hiddenStates().length];
            System.arraycopy(uncond.hiddenStates(), 0, context, 0, uncond.hiddenStates().length);
            System.arraycopy(cond.hiddenStates(), 0, context, uncond.hiddenStates().length, cond.hiddenStates().length);
            long afterText = ChildJvm.statusKb("VmRSS");

            int n = 4 * SyntheticSdModel.LATENT * SyntheticSdModel.LATENT;
            float[] latents = new float[n];
            for (int i = 0; i < n; i++) {
                latents[i] = (float) Math.sin(i * 0.37);
            }
            Tensor ehs = Tensor.ofFloats(context, 2, cond.sequenceLength(), cond.hiddenSize());
            for (int step = 0; step < steps; step++) {
                float[] both = new float[2 * n];
                System.arraycopy(latents, 0, both, 0, n);
                System.arraycopy(latents, 0, both, n, n);
                Map<String, Tensor> feeds = Map.of(
                        "sample", Tensor.ofFloats(both, 2, 4, SyntheticSdModel.LATENT, SyntheticSdModel.LATENT),
                        "timestep", Tensor.ofLongs(new long[] {999 - 250L * step}, 1),
                        "encoder_hidden_states", ehs);
                float[] eps = group.acquire("unet").run(feeds).get("out_sample").floats();
                for (int i = 0; i < n; i++) {
                    latents[i] -= 0.1f * (eps[i] + 5f * (eps[n + i] - eps[i]));
                }
            }
            long afterUnet = ChildJvm.statusKb("VmRSS");
            float[] image = group.acquire("vae_decoder").run(Map.of("latent_sample",
                    Tensor.ofFloats(latents, 1, 4, SyntheticSdModel.LATENT, SyntheticSdModel.LATENT))).get("sample").floats();
            long peak = ChildJvm.statusKb("VmHWM");
            double checksum = 0;
            for (float v : image) {
                checksum += v;
            }
            System.out.printf(Locale.ROOT, "RESULT policy=%s peak_mb=%.0f model_peak_mb=%.0f baseline_mb=%.0f "
                            + "rss_after_text_mb=%.0f rss_after_unet_mb=%.0f wall_s=%.2f onnx_run_s=%.2f checksum=%.4f%n",
                    policy, peak / 1024.0, (peak - baseline) / 1024.0, baseline / 1024.0, afterText / 1024.0,
                    afterUnet / 1024.0, (System.nanoTime() - start) / 1e9, group.totalRunNanos() / 1e9, checksum);
        }
    }

    private static double median(List<Map<String, String>> runs, String key) {
        double[] v = runs.stream().mapToDouble(m -> Double.parseDouble(m.get(key))).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String size(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            long bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: [--dir D] [--unet-layers N] [--steps N] [--threads N] "
                        + "[--repeats N]; got " + String.join(" ", args));
            }
            out.put(args[i], args[i + 1]);
        }
        return out;
    }
}
