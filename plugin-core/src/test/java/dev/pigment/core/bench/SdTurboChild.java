package dev.pigment.core.bench;

import ai.djl.engine.Engine;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.pipeline.LatentDiffusionPipeline;
import dev.pigment.core.runtime.MemoryPolicy;
import dev.pigment.core.runtime.OnnxComponent;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.runtime.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One measurement of {@link SdTurboBenchmark} in a fresh JVM (peak RSS cannot be reset, and
 * glibc reads GLIBC_TUNABLES at process start). Prints one {@code RESULT k=v ...} line.
 */
final class SdTurboChild {
    private static final int THREADS = 2;

    private SdTurboChild() {
    }

    static void run(String mode, Path model, int runs, boolean memoryPattern, String extra) throws Exception {
        Engine.getEngine("OnnxRuntime");
        StringJoiner out = new StringJoiner(" ", "RESULT mode=" + mode + " ", "");
        switch (mode) {
            case "unet-raw" -> unetRaw(model, runs, memoryPattern, out);
            case "unet-pigment" -> unetPigment(model, runs, memoryPattern, out);
            case "read" -> readWeights(model, out);
            case "e2e" -> endToEnd(model, runs, extra, out);
            case "check" -> check(model, extra, out);
            case "cache" -> cacheSteps(model, runs, extra, out);
            default -> throw new IllegalArgumentException("mode " + mode);
        }
        out.add(String.format(Locale.ROOT, "peak_mb=%.0f", ChildJvm.statusKb("VmHWM") / 1024.0));
        System.out.println(out);
    }

    /** ONNX Runtime's own Java API, no DJL and no Pigment code: the baseline. */
    private static void unetRaw(Path model, int runs, boolean memoryPattern, StringJoiner out) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(THREADS);
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setMemoryPatternOptimization(memoryPattern);
            // -Dbench.arena=false: ONNX Runtime's CPU arena off (plain malloc/free per tensor).
            so.setCPUArenaAllocator(!"false".equals(System.getProperty("bench.arena")));
            // -Dbench.config=key=value;key=value: ONNX Runtime session config entries to try
            // (e.g. session.disable_prepacking=1, session.use_device_allocator_for_initializers=1).
            for (String kv : System.getProperty("bench.config", "").split(";")) {
                if (kv.contains("=")) {
                    so.addConfigEntry(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
            }
            try (OrtSession session = env.createSession(model.resolve("unet/model.onnx").toString(), so)) {
                out.add(secs("create_s", t0));
                out.add(cpuSecs("create_cpu_s", c0));
                List<Double> times = new ArrayList<>();
                List<Double> cpu = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    try (OnnxTensor sample = OnnxTensor.createTensor(env, FloatBuffer.wrap(noise(4 * 64 * 64, r)),
                            new long[] {1, 4, 64, 64});
                         OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {999f}), new long[] {1});
                         OnnxTensor ehs = OnnxTensor.createTensor(env, FloatBuffer.wrap(noise(77 * 1024, 7)),
                                 new long[] {1, 77, 1024})) {
                        long s = System.nanoTime();
                        long c = cpuNanos();
                        try (OrtSession.Result res = session.run(Map.of("sample", sample, "timestep", t,
                                "encoder_hidden_states", ehs))) {
                            res.get(0).getValue();
                        }
                        times.add((System.nanoTime() - s) / 1e9);
                        cpu.add((cpuNanos() - c) / 1e9);
                    }
                }
                out.add("runs_s=" + join(times));
                out.add("cpu_s=" + join(cpu));
            }
        }
    }

    /**
     * Model-load steps in one JVM, in the order given ({@code extra}, comma-separated): {@code read} (the UNet's
     * weights into fresh memory, then freed), {@code plain} (a session from the model, all optimisations),
     * {@code write} (the same, also writing the optimised graph to {@code -Dbench.cacheDir}, external initializers
     * and, with -Dbench.prepacked=1, the prepacked weights beside it), {@code cached} (a session from that
     * optimised graph with optimisations off), {@code cached-noprepack} (the same with prepacking off). Each
     * session step also times {@code runs} UNet runs and prints the RSS after creation.
     */
    private static void cacheSteps(Path model, int runs, String steps, StringJoiner out) throws Exception {
        Path cacheDir = Path.of(System.getProperty("bench.cacheDir", "/tmp/pigment-ort-cache"));
        for (String step : steps.split(",")) {
            if (step.equals("read")) {
                StringJoiner r = new StringJoiner(" ");
                readWeights(model, r);
                out.add(r.toString());
                System.gc();
                Thread.sleep(500);
                continue;
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                so.setIntraOpNumThreads(THREADS);
                so.setInterOpNumThreads(1);
                so.setMemoryPatternOptimization(false);
                Path file = model.resolve("unet/model.onnx");
                switch (step) {
                    case "plain" -> so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                    case "write" -> {
                        java.nio.file.Files.createDirectories(cacheDir);
                        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                        so.setOptimizedModelFilePath(cacheDir.resolve("model.onnx").toString());
                        so.addConfigEntry("session.optimized_model_external_initializers_file_name", "model.onnx.data");
                        so.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
                        so.addConfigEntry("session.save_external_prepacked_constant_initializers",
                                System.getProperty("bench.prepacked", "0"));
                    }
                    case "cached", "cached-noprepack", "cached-basic" -> {
                        file = cacheDir.resolve("model.onnx");
                        so.setOptimizationLevel(step.equals("cached-basic") ? OrtSession.SessionOptions.OptLevel.BASIC_OPT
                                : OrtSession.SessionOptions.OptLevel.NO_OPT);
                        if (step.equals("cached-noprepack")) {
                            so.addConfigEntry("session.disable_prepacking", "1");
                        }
                    }
                    default -> throw new IllegalArgumentException("cache step " + step);
                }
                long t0 = System.nanoTime();
                long c0 = cpuNanos();
                try (OrtSession session = env.createSession(file.toString(), so)) {
                    out.add(step + ":");
                    out.add(secs("create_s", t0));
                    out.add(cpuSecs("create_cpu_s", c0));
                    out.add(String.format(Locale.ROOT, "rss_mb=%.0f", ChildJvm.statusKb("VmRSS") / 1024.0));
                    List<Double> cpu = new ArrayList<>();
                    float[] first = null;
                    for (int r = 0; r < runs; r++) {
                        long c = cpuNanos();
                        float[] result = unetOnce(env, session);
                        cpu.add((cpuNanos() - c) / 1e9);
                        first = first == null ? result : first;
                    }
                    if (!cpu.isEmpty()) {
                        out.add("cpu_s=" + join(cpu));
                        out.add(String.format(Locale.ROOT, "out_hash=%08x", java.util.Arrays.hashCode(first)));
                    }
                }
            }
        }
    }

    private static float[] unetOnce(OrtEnvironment env, OrtSession session) throws Exception {
        try (OnnxTensor sample = OnnxTensor.createTensor(env, FloatBuffer.wrap(noise(4 * 64 * 64, 0)),
                new long[] {1, 4, 64, 64});
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {999f}), new long[] {1});
             OnnxTensor ehs = OnnxTensor.createTensor(env, FloatBuffer.wrap(noise(77 * 1024, 7)),
                     new long[] {1, 77, 1024});
             OrtSession.Result res = session.run(Map.of("sample", sample, "timestep", t,
                     "encoder_hidden_states", ehs))) {
            FloatBuffer b = ((OnnxTensor) res.get(0)).getFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            return v;
        }
    }

    /**
     * Runs component {@code extra} of the model on the inputs build_sd21.py --check-dir wrote (system property
     * bench.check = that folder) and compares with PyTorch's output: the exported graph computes what diffusers does.
     */
    private static void check(Path model, String component, StringJoiner out) throws Exception {
        Path dir = Path.of(System.getProperty("bench.check")).resolve(component);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(THREADS);
            try (OrtSession session = env.createSession(model.resolve(component + "/model.onnx").toString(), so)) {
                Map<String, OnnxTensor> feeds = new java.util.LinkedHashMap<>();
                for (var input : session.getInputInfo().entrySet()) {
                    String name = input.getKey();
                    float[] values = floats(dir, name);
                    boolean ids = ((ai.onnxruntime.TensorInfo) input.getValue().getInfo()).type
                            == ai.onnxruntime.OnnxJavaType.INT32;  // token ids, written as float32 (exact)
                    feeds.put(name, ids ? OnnxTensor.createTensor(env, java.nio.IntBuffer.wrap(toInts(values)), shape(dir, name))
                            : OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape(dir, name)));
                }
                float[] expected = floats(dir, "output");
                try (OrtSession.Result res = session.run(feeds)) {
                    FloatBuffer got = ((OnnxTensor) res.get(0)).getFloatBuffer();
                    double maxDiff = 0;
                    double maxAbs = 0;
                    for (int i = 0; i < expected.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(got.get(i) - expected[i]));
                        maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
                    }
                    out.add(String.format(Locale.ROOT, "component=%s elements=%d max_abs_diff=%.3g max_abs_output=%.3g",
                            component, expected.length, maxDiff, maxAbs));
                } finally {
                    feeds.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    private static int[] toInts(float[] values) {
        int[] ints = new int[values.length];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = (int) values[i];
        }
        return ints;
    }

    private static float[] floats(Path dir, String name) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(java.nio.file.Files.readAllBytes(dir.resolve(name + ".bin")))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(v);
        return v;
    }

    private static long[] shape(Path dir, String name) throws IOException {
        var dims = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(dir.resolve(name + ".json")))
                .getAsJsonObject().getAsJsonArray("shape");
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).getAsLong();
        }
        return shape;
    }

    /** The same graph through Pigment's OnnxComponent (DJL engine, Pigment's session options and tensors). */
    private static void unetPigment(Path model, int runs, boolean memoryPattern, StringJoiner out) {
        String cache = System.getProperty("bench.sessionCache", "");
        RuntimeOptions options = new RuntimeOptions(THREADS, 1, RuntimeOptions.defaults().optLevel(),
                MemoryPolicy.KEEP_LOADED, memoryPattern).withSessionCache(cache.isEmpty() ? null : Path.of(cache));
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        try (OnnxComponent unet = new OnnxComponent("unet", model.resolve("unet/model.onnx"), options)) {
            unet.load();
            out.add(secs("create_s", t0));
            out.add(cpuSecs("create_cpu_s", c0));
            List<Double> times = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                Map<String, Tensor> feeds = Map.of("sample", Tensor.ofFloats(noise(4 * 64 * 64, r), 1, 4, 64, 64),
                        "timestep", Tensor.ofFloats(new float[] {999f}, 1),
                        "encoder_hidden_states", Tensor.ofFloats(noise(77 * 1024, 7), 1, 77, 1024));
                long s = System.nanoTime();
                long c = cpuNanos();
                unet.run(feeds);
                times.add((System.nanoTime() - s) / 1e9);
                cpu.add((cpuNanos() - c) / 1e9);
            }
            out.add("runs_s=" + join(times));
            out.add("cpu_s=" + join(cpu));
        }
    }

    /** A sequential read of the UNet's weights into freshly allocated memory: the floor for a model load. */
    private static void readWeights(Path model, StringJoiner out) throws IOException {
        Path weights = model.resolve("unet/weights.pb");
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        long total = 0;
        List<ByteBuffer> keep = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(weights)) {
            while (true) {
                ByteBuffer b = ByteBuffer.allocateDirect(64 << 20);
                int n = ch.read(b);
                if (n <= 0) {
                    break;
                }
                total += n;
                keep.add(b);
            }
        }
        out.add(secs("read_s", t0));
        out.add(cpuSecs("read_cpu_s", c0));
        out.add(String.format(Locale.ROOT, "read_mb=%.0f chunks=%d", total / 1e6, keep.size()));
    }

    /** Two text-to-image generations at the model's defaults (cold, then warm); {@code extra} = decoder. */
    private static void endToEnd(Path model, int images, String decoder, StringJoiner out) {
        String policy = System.getProperty("bench.policy", "KEEP_LOADED");
        // -Dbench.sessionCache=DIR: Pigment's optimised-graph cache (the first JVM writes it, later ones map it).
        String cache = System.getProperty("bench.sessionCache", "");
        RuntimeOptions options = new RuntimeOptions(THREADS, 1, RuntimeOptions.defaults().optLevel(),
                MemoryPolicy.valueOf(policy)).withSessionCache(cache.isEmpty() ? null : Path.of(cache));
        var info = new ModelRegistry(List.of(model.getParent())).resolve(model.getFileName().toString());
        try (LatentDiffusionPipeline sd = new LatentDiffusionPipeline(info, options)) {
            for (int i = 0; i < images; i++) {
                GenerationRequest.Builder b = GenerationRequest.builder(Task.TEXT_TO_IMAGE).model(info.id())
                        .prompt("a photo of a cat").seed(1);
                if (!decoder.equals("full")) {
                    b.option("decoder", decoder);
                }
                long t0 = System.nanoTime();
                long c0 = cpuNanos();
                GenerationResult r = sd.generate(b.build(), ProgressListener.NONE, CancellationToken.none());
                out.add(secs("gen" + i + "_s", t0));
                out.add(cpuSecs("gen" + i + "_cpu_s", c0));
                String prefix = "gen" + i + "_";
                // What the process holds once the generation is over (one-at-a-time releases every session).
                out.add(String.format(Locale.ROOT, "gen%d_rss_after_mb=%.0f", i, ChildJvm.statusKb("VmRSS") / 1024.0));
                r.timings().forEach((k, v) -> out.add(prefix + k + "_s=" + String.format(Locale.ROOT, "%.2f",
                        v.toNanos() / 1e9)));
            }
            out.add("policy=" + policy + " decoder=" + decoder);
        }
    }

    /** CPU time of the whole process (all ONNX Runtime threads): robust to other jobs taking the cores. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static float[] noise(int n, int salt) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(i * 0.37 + salt);
        }
        return v;
    }

    private static String secs(String key, long t0) {
        return String.format(Locale.ROOT, "%s=%.2f", key, (System.nanoTime() - t0) / 1e9);
    }

    private static String cpuSecs(String key, long c0) {
        return String.format(Locale.ROOT, "%s=%.2f", key, (cpuNanos() - c0) / 1e9);
    }

    private static String join(List<Double> v) {
        StringJoiner j = new StringJoiner(",");
        v.forEach(x -> j.add(String.format(Locale.ROOT, "%.2f", x)));
        return j.toString();
    }

}
