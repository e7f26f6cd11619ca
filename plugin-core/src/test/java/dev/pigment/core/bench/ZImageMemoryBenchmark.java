package dev.pigment.core.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "about 6 GB" claim for Z-Image Turbo, measured on synthetic int4 models with the real layer
 * dimensions (weights random, generated on demand, never committed):
 * <ul>
 * <li>DiT blocks of Z-Image Turbo's width: dim 3840, 30 heads of 128, SwiGLU FFN 10240, q/k/v/o and FFN
 * as {@code MatMulNBits} (int4, block 128, fp32 scales, accuracy level 4), attention as
 * {@code MultiHeadAttention}, LayerNorm before attention and FFN; patch embed 64 -> 3840, caption
 * embed 2560 -> 3840, final 3840 -> 64. {@code blocks} of them (the real model has 30 + 2 noise +
 * 2 context refiners = 34): the benchmark runs a few and extrapolates per block.</li>
 * <li>A text encoder of Qwen3-4B's dimensions, all 36 layers (hidden 2560, q 4096, k/v 1024, MLP 9728)
 * in int4, the 151936 x 2560 embedding in fp16.</li>
 * <li>A 16-channel VAE decoder: conv chain 16 -> 512 at latent size, three 2x upsamplings with
 * 512/256/128-channel 3x3 convolutions, 3 channels out (fp32).</li>
 * </ul>
 * Run: {@code ZImageMemoryBenchmark <dir> <blocks> <size> <one|keep>}; prints the peak RSS (VmHWM)
 * after each phase and the seconds of the single DiT step. One configuration per fresh JVM, because
 * VmHWM cannot be reset.
 */
public final class ZImageMemoryBenchmark {
    static final int DIM = 3840;
    static final int HEADS = 30;
    static final int FFN = 10240;
    static final int CAP = 2560;
    static final int PATCH_FEATURES = 64; // 16 channels x 2 x 2
    static final int CAPTION_TOKENS = 64;
    static final int TE_LAYERS = 36;
    static final int TE_Q = 4096;
    static final int TE_KV = 1024;
    static final int TE_MLP = 9728;
    static final int VOCAB = 151936;
    static final int BLOCK = 128;

    private ZImageMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int blocks = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        boolean keep = args[3].equals("keep");
        Path te = dir.resolve("text_encoder/model.onnx");
        Path dit = dir.resolve("transformer-" + blocks + "/model.onnx");
        Path vae = dir.resolve("vae_decoder/model.onnx");
        if (!Files.exists(te)) {
            textEncoder(te);
        }
        if (!Files.exists(dit)) {
            transformer(dit, blocks);
        }
        if (!Files.exists(vae)) {
            vaeDecoder(vae);
        }
        System.out.printf(Locale.ROOT, "built: VmHWM %d MiB%n", status("VmHWM") >> 20);
        run(te, dit, vae, size, keep);
    }

    private static void run(Path te, Path dit, Path vae, int size, boolean keep) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(2);
        List<OrtSession> loaded = new ArrayList<>();
        if (keep) {
            loaded.add(env.createSession(te.toString(), options));
            loaded.add(env.createSession(dit.toString(), options));
            loaded.add(env.createSession(vae.toString(), options));
        }
        int latent = size / 8;
        int imageTokens = (latent / 2) * (latent / 2);
        long t0 = System.nanoTime();
        phase(env, keep ? loaded.get(0) : null, te, options, "text_encoder", Map.of("input_ids",
                OnnxTensor.createTensor(env, LongBuffer.allocate(CAPTION_TOKENS), new long[] {1, CAPTION_TOKENS})));
        long t1 = System.nanoTime();
        phase(env, keep ? loaded.get(1) : null, dit, options, "transformer", Map.of(
                "hidden_states", tensor(env, 1, imageTokens, PATCH_FEATURES),
                "encoder_hidden_states", tensor(env, 1, CAPTION_TOKENS, CAP)));
        long t2 = System.nanoTime();
        phase(env, keep ? loaded.get(2) : null, vae, options, "vae_decoder", Map.of(
                "latent_sample", tensor(env, 1, 16, latent, latent)));
        long t3 = System.nanoTime();
        System.out.printf(Locale.ROOT, "size %d tokens %d: text %.1f s, transformer step %.1f s (incl. load %s), "
                + "vae %.1f s; peak RSS %d MiB%n", size, imageTokens + CAPTION_TOKENS, (t1 - t0) / 1e9,
                (t2 - t1) / 1e9, keep ? "no" : "yes", (t3 - t2) / 1e9, status("VmHWM") >> 20);
        for (OrtSession s : loaded) {
            s.close();
        }
    }

    private static void phase(OrtEnvironment env, OrtSession kept, Path file, OrtSession.SessionOptions options,
            String name, Map<String, OnnxTensor> inputs) throws OrtException {
        long start = System.nanoTime();
        OrtSession session = kept != null ? kept : env.createSession(file.toString(), options);
        long loaded = System.nanoTime();
        long cpu = cpuNanos();
        try (OrtSession.Result r = session.run(inputs)) {
            // CPU seconds / 2 threads: the wall time the run would take on this machine's 2 cores unshared.
            System.out.printf(Locale.ROOT, "%s: load %.1f s, run %.1f s wall, %.1f s CPU, VmHWM %d MiB, VmRSS %d MiB%n",
                    name, (loaded - start) / 1e9, (System.nanoTime() - loaded) / 1e9, (cpuNanos() - cpu) / 1e9,
                    status("VmHWM") >> 20, status("VmRSS") >> 20);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
            if (kept == null) {
                session.close();
            }
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, long... shape) throws OrtException {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        FloatBuffer b = FloatBuffer.allocate((int) n);
        for (int i = 0; i < n; i++) {
            b.put(i, (float) Math.sin(i * 0.37));
        }
        return OnnxTensor.createTensor(env, b, shape);
    }

    /** y = x W for W of k x n in int4 blocks: uint8 [n, k/BLOCK, BLOCK/2] plus fp32 scales [n * k/BLOCK]. */
    static String linear4(OnnxWriter w, String x, String name, int k, int n) throws IOException {
        long blocks = k / BLOCK;
        String b = w.rawWeight(name + ".qweight", OnnxWriter.UINT8, (long) n * blocks * BLOCK / 2, n, blocks,
                BLOCK / 2);
        String s = w.weight(name + ".scales", 0.02 / Math.sqrt(k), (long) n * blocks);
        return w.node("com.microsoft", "MatMulNBits", List.of(x, b, s), "K", (long) k, "N", (long) n,
                "bits", 4L, "block_size", (long) BLOCK, "accuracy_level", 4L);
    }

    static String norm(OnnxWriter w, String x, String name, int dim) {
        float[] ones = new float[dim];
        java.util.Arrays.fill(ones, 1f);
        return w.node("LayerNormalization", List.of(x, w.floats(name, new long[] {dim}, ones)), "axis", -1L);
    }

    static String swiglu(OnnxWriter w, String x, String name, int dim, int hidden) throws IOException {
        String gate = linear4(w, x, name + ".w1", dim, hidden);
        String up = linear4(w, x, name + ".w3", dim, hidden);
        String silu = w.node("Mul", List.of(gate, w.node("Sigmoid", List.of(gate))));
        return linear4(w, w.node("Mul", List.of(silu, up)), name + ".w2", hidden, dim);
    }

    private static String block(OnnxWriter w, String h, String name, int heads, int dim, int ffn, int kv)
            throws IOException {
        String n = norm(w, h, name + ".norm1", dim);
        String q = linear4(w, n, name + ".to_q", dim, heads * 128);
        String k = linear4(w, n, name + ".to_k", dim, kv);
        String v = linear4(w, n, name + ".to_v", dim, kv);
        if (kv < heads * 128) { // grouped-query attention: each k/v head serves heads*128/kv query heads
            String reps = w.longs(name + ".reps", 1, 1, heads * 128 / kv);
            k = w.node("Tile", List.of(k, reps));
            v = w.node("Tile", List.of(v, reps));
        }
        String a = w.node("com.microsoft", "MultiHeadAttention", List.of(q, k, v), "num_heads", (long) heads);
        h = w.node("Add", List.of(h, linear4(w, a, name + ".to_out", heads * 128, dim)));
        return w.node("Add", List.of(h, swiglu(w, norm(w, h, name + ".norm2", dim), name + ".ffn", dim, ffn)));
    }

    static void transformer(Path file, int blocks) throws IOException {
        try (OnnxWriter w = new OnnxWriter(file, "weights.pb", 11)) {
            w.input("hidden_states", OnnxWriter.FLOAT, 1, "image_tokens", PATCH_FEATURES);
            w.input("encoder_hidden_states", OnnxWriter.FLOAT, 1, "caption_tokens", CAP);
            String x = w.node("MatMul", List.of("hidden_states", w.weight("x_embed", 0.1, PATCH_FEATURES, DIM)));
            String c = linear4(w, norm(w, "encoder_hidden_states", "cap_norm", CAP), "cap_embed", CAP, DIM);
            String h = w.node("Concat", List.of(x, c), "axis", 1L);
            for (int i = 0; i < blocks; i++) {
                h = block(w, h, "layers." + i, HEADS, DIM, FFN, DIM);
            }
            // The image tokens come first: keep the first T of them, T read from the input's shape.
            String count = w.node("Slice", List.of(w.node("Shape", List.of("hidden_states")), w.longs("one", 1),
                    w.longs("two", 2)));
            String img = w.node("Slice", List.of(h, w.longs("start", 0), count, w.longs("axis", 1)));
            String out = w.node("MatMul", List.of(norm(w, img, "norm_out", DIM),
                    w.weight("final", 0.01, DIM, PATCH_FEATURES)));
            w.output(out, "sample", OnnxWriter.FLOAT, 1, "image_tokens", PATCH_FEATURES);
        }
    }

    static void textEncoder(Path file) throws IOException {
        try (OnnxWriter w = new OnnxWriter(file, "weights.pb", 12)) {
            w.input("input_ids", OnnxWriter.INT64, 1, "tokens");
            String table = w.rawWeight("embed_tokens", OnnxWriter.FLOAT16, 2L * VOCAB * CAP, VOCAB, CAP);
            String h = w.node("Cast", List.of(w.node("Gather", List.of(table, "input_ids"), "axis", 0L)),
                    "to", (long) OnnxWriter.FLOAT);
            for (int i = 0; i < TE_LAYERS; i++) {
                h = block(w, h, "layers." + i, TE_Q / 128, CAP, TE_MLP, TE_KV);
            }
            w.output(norm(w, h, "norm", CAP), "hidden_states", OnnxWriter.FLOAT, 1, "tokens", CAP);
        }
    }

    static void vaeDecoder(Path file) throws IOException {
        try (OnnxWriter w = new OnnxWriter(file, "weights.pb", 13)) {
            w.input("latent_sample", OnnxWriter.FLOAT, 1, 16, "height", "width");
            String h = conv(w, "latent_sample", "conv_in", 16, 512);
            h = conv(w, h, "mid", 512, 512);
            int[] widths = {512, 256, 128};
            int in = 512;
            for (int i = 0; i < widths.length; i++) {
                h = w.node("Resize", List.of(h, "", w.floats("scales" + i, new long[] {4}, 1, 1, 2, 2)),
                        "mode", "nearest");
                h = conv(w, h, "up" + i, in, widths[i]);
                in = widths[i];
            }
            w.output(w.node("Tanh", List.of(conv(w, h, "conv_out", in, 3))), "sample", OnnxWriter.FLOAT,
                    1, 3, "out_height", "out_width");
        }
    }

    private static String conv(OnnxWriter w, String x, String name, int in, int out) throws IOException {
        String y = w.node("Conv", List.of(x, w.weight(name + ".weight", Math.sqrt(3.0 / (9 * in)), out, in, 3, 3)),
                "pads", new long[] {1, 1, 1, 1});
        return out == 3 ? y : w.node("Mul", List.of(y, w.node("Sigmoid", List.of(y))));
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
