package dev.pigment.core.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes a synthetic model folder in Pigment's Z-Image layout with Z-Image Turbo's <b>real dimensions</b> (random
 * weights, generated on demand, never committed), which both the raw ONNX Runtime benchmark
 * ({@link ZImageMemoryBenchmark}) and a real Pigment generation ({@link ZImagePigmentRun}) run:
 * <ul>
 * <li>{@code transformer/}: DiT blocks of dim 3840, 30 heads of 128, SwiGLU FFN 10240, LayerNorm before attention
 * and FFN, attention as {@code MultiHeadAttention}; patch embed 64 -> 3840, caption embed 2560 -> 3840, final
 * 3840 -> 64; learned pad tokens swapped in where Pigment's pad masks say, the timestep added through a 3840-wide
 * weight. {@code blocks} of them (the real model: 30 + 2 noise + 2 context refiners = 34). Precision {@code int4}:
 * every block linear as {@code MatMulNBits} (block 128, fp32 scales, accuracy level 4); {@code fp16}: every weight
 * and activation of the blocks in float16 (fp32 in and out, as a float16 conversion with kept I/O types writes it).
 * Left out (small): adaLN modulation, RoPE (the position ids are inputs Pigment feeds, unused), qk-norm.</li>
 * <li>{@code text_encoder/}: Qwen3-4B's 36 layers (hidden 2560, q 4096, k/v 1024, MLP 9728) in int4, the
 * 151936 x 2560 embedding in fp16.</li>
 * <li>{@code vae_decoder/}: 16 latent channels, conv 16 -> 512 at latent size, three 2x upsamplings with
 * 512/256/128-channel 3x3 convolutions, 3 channels out (fp32); no GroupNorm, resnets or mid attention.</li>
 * <li>The tiny fixture's tokenizer (ids far below the vocabulary size), Z-Image's scheduler config, VAE scaling and
 * transformer config, and a {@code pigment.json} of the {@code flow-match-dit} family.</li>
 * </ul>
 */
final class ZImageFolder {
    static final int DIM = 3840;
    static final int HEADS = 30;
    static final int FFN = 10240;
    static final int CAP = 2560;
    static final int PATCH_FEATURES = 64; // 16 channels x 2 x 2
    static final int TE_LAYERS = 36;
    static final int TE_Q = 4096;
    static final int TE_KV = 1024;
    static final int TE_MLP = 9728;
    static final int VOCAB = 151936;
    static final int BLOCK = 128;
    private static final short HALF_ONE = 0x3c00;

    private final OnnxWriter w;
    private final boolean half;
    private final boolean decomposed;

    private ZImageFolder(OnnxWriter w, boolean half, boolean decomposed) {
        this.w = w;
        this.half = half;
        this.decomposed = decomposed;
    }

    /**
     * Writes what is missing of the folder; a transformer of another block count or precision is rewritten.
     *
     * @param precision {@code int4} or {@code fp16} (attention fused as {@code MultiHeadAttention}), or
     *                  {@code int4-decomposed}: int4 with attention as torch.onnx writes it (MatMul, Softmax, MatMul)
     */
    static void ensure(Path dir, int blocks, String precision) throws IOException {
        if (!List.of("int4", "fp16", "int4-decomposed").contains(precision)) {
            throw new IllegalArgumentException("precision must be int4, fp16 or int4-decomposed, got " + precision);
        }
        Path stamp = dir.resolve("transformer/written.txt");
        String want = blocks + " " + precision;
        if (!Files.exists(stamp) || !Files.readString(stamp).equals(want)) {
            Files.deleteIfExists(stamp);
            transformer(dir.resolve("transformer/model.onnx"), blocks, precision.equals("fp16"),
                    precision.endsWith("-decomposed"));
            Files.writeString(stamp, want);
        }
        if (!Files.exists(dir.resolve("text_encoder/written.txt"))) {
            textEncoder(dir.resolve("text_encoder/model.onnx"));
            Files.writeString(dir.resolve("text_encoder/written.txt"), "ok");
        }
        if (!Files.exists(dir.resolve("vae_decoder/written.txt"))) {
            vaeDecoder(dir.resolve("vae_decoder/model.onnx"));
            Files.writeString(dir.resolve("vae_decoder/written.txt"), "ok");
        }
        configs(dir, blocks, precision);
    }

    /** The small files: configs from the tiny fixture, with the real model's dimensions where they matter. */
    private static void configs(Path dir, int blocks, String precision) throws IOException {
        for (String file : List.of("tokenizer/tokenizer.json", "tokenizer/tokenizer_config.json",
                "scheduler/scheduler_config.json", "model_index.json")) {
            Path to = dir.resolve(file);
            Files.createDirectories(to.getParent());
            try (InputStream in = ZImageFolder.class.getResourceAsStream("/zimage/tiny-zimage/" + file)) {
                Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(dir.resolve("transformer/config.json"), String.format(Locale.ROOT, """
                {"_class_name": "ZImageTransformer2DModel", "all_patch_size": [2], "all_f_patch_size": [1],
                 "in_channels": 16, "dim": %d, "n_layers": %d, "n_refiner_layers": 0, "n_heads": %d,
                 "n_kv_heads": %d, "cap_feat_dim": %d, "rope_theta": 256.0, "t_scale": 1000.0,
                 "axes_dims": [32, 48, 48], "axes_lens": [1536, 512, 512]}
                """, DIM, blocks, HEADS, HEADS, CAP));
        Files.writeString(dir.resolve("vae_decoder/config.json"), """
                {"_class_name": "AutoencoderKL", "latent_channels": 16, "block_out_channels": [128, 256, 512, 512],
                 "scaling_factor": 0.3611, "shift_factor": 0.1159, "mid_block_add_attention": false}
                """);
        Files.writeString(dir.resolve("pigment.json"), """
                {"name": "Synthetic Z-Image Turbo size (%s DiT, %d blocks; random weights, benchmark only)",
                 "family": "flow-match-dit", "licence": "Apache-2.0",
                 "recommended": {"width": 1024, "height": 1024, "steps": 8, "guidance": 0.0},
                 "export": {"timestep": "1-sigma", "negate_output": true, "rope": "ids", "pad_tokens_to": 32,
                  "prompt_template": "<|im_start|>user\\n{prompt}<|im_end|>\\n<|im_start|>assistant\\n",
                  "max_prompt_tokens": 512, "hidden_state": -2}}
                """.formatted(precision, blocks));
    }

    static void transformer(Path file, int blocks, boolean half, boolean decomposed) throws IOException {
        try (OnnxWriter w = new OnnxWriter(file, "weights.pb", 11)) {
            ZImageFolder g = new ZImageFolder(w, half, decomposed);
            w.input("hidden_states", OnnxWriter.FLOAT, 1, "image_tokens", PATCH_FEATURES);
            w.input("timestep", OnnxWriter.FLOAT, 1);
            w.input("encoder_hidden_states", OnnxWriter.FLOAT, 1, "caption_tokens", CAP);
            w.input("img_ids", OnnxWriter.INT64, "image_tokens", 3);
            w.input("txt_ids", OnnxWriter.INT64, "caption_tokens", 3);
            w.input("img_pad_mask", OnnxWriter.INT64, "image_tokens");
            w.input("txt_pad_mask", OnnxWriter.INT64, "caption_tokens");
            String x = w.node("MatMul", List.of(g.in("hidden_states"), g.dense("x_embed", 0.1, PATCH_FEATURES, DIM)));
            x = g.padTokens(x, "img_pad_mask", "x_pad_token");
            String c = g.linear(g.norm(g.in("encoder_hidden_states"), "cap_norm", CAP), "cap_embed", CAP, DIM);
            c = g.padTokens(c, "txt_pad_mask", "cap_pad_token");
            String h = w.node("Concat", List.of(x, c), "axis", 1L);
            String t = w.node("Mul", List.of(w.node("Unsqueeze", List.of(g.in("timestep"), w.longs("t_axes", 0))),
                    g.dense("t_embed", 0.1, 1, DIM)));
            h = w.node("Add", List.of(h, t));
            for (int i = 0; i < blocks; i++) {
                h = g.block(h, "layers." + i, HEADS, DIM, FFN, DIM);
            }
            // The image tokens come first: keep the first T of them, T read from the input's shape.
            String count = w.node("Slice", List.of(w.node("Shape", List.of("hidden_states")), w.longs("one", 1),
                    w.longs("two", 2)));
            String img = w.node("Slice", List.of(h, w.longs("start", 0), count, w.longs("axis", 1)));
            String out = w.node("MatMul", List.of(g.norm(img, "norm_out", DIM), g.dense("final", 0.01, DIM,
                    PATCH_FEATURES)));
            if (half) {
                out = w.node("Cast", List.of(out), "to", (long) OnnxWriter.FLOAT);
            }
            w.output(out, "sample", OnnxWriter.FLOAT, 1, "image_tokens", PATCH_FEATURES);
        }
    }

    /** Rows whose pad-mask entry is 1 become the learned pad token, as the reference's patchify does. */
    private String padTokens(String x, String mask, String name) throws IOException {
        String m = w.node("Cast", List.of(w.node("Unsqueeze", List.of(mask, w.longs(name + ".axes", 0, 2)))),
                "to", (long) OnnxWriter.BOOL);
        return w.node("Where", List.of(m, dense(name, 0.1, DIM), x));
    }

    /** A graph input in the blocks' precision (float16 inputs are cast once, at the start). */
    private String in(String input) {
        return half ? w.node("Cast", List.of(input), "to", (long) OnnxWriter.FLOAT16) : input;
    }

    /** A small dense weight in the blocks' precision (fp32 uniform in +-scale, or float16). */
    private String dense(String name, double scale, long... dims) throws IOException {
        return half ? w.halfWeight(name, dims) : w.weight(name, scale, dims);
    }

    static void textEncoder(Path file) throws IOException {
        try (OnnxWriter w = new OnnxWriter(file, "weights.pb", 12)) {
            ZImageFolder g = new ZImageFolder(w, false, false);
            w.input("input_ids", OnnxWriter.INT64, 1, "tokens");
            String table = w.rawWeight("embed_tokens", OnnxWriter.FLOAT16, 2L * VOCAB * CAP, VOCAB, CAP);
            String h = w.node("Cast", List.of(w.node("Gather", List.of(table, "input_ids"), "axis", 0L)),
                    "to", (long) OnnxWriter.FLOAT);
            for (int i = 0; i < TE_LAYERS; i++) {
                h = g.block(h, "layers." + i, TE_Q / 128, CAP, TE_MLP, TE_KV);
            }
            w.output(g.norm(h, "norm", CAP), "hidden_states", OnnxWriter.FLOAT, 1, "tokens", CAP);
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

    /** y = x W for W of k x n: int4 blocks (uint8 [n, k/BLOCK, BLOCK/2] plus fp32 scales), or float16. */
    private String linear(String x, String name, int k, int n) throws IOException {
        if (half) {
            return w.node("MatMul", List.of(x, w.halfWeight(name + ".weight", k, n)));
        }
        long blocks = k / BLOCK;
        String b = w.rawWeight(name + ".qweight", OnnxWriter.UINT8, (long) n * blocks * BLOCK / 2, n, blocks,
                BLOCK / 2);
        String s = w.weight(name + ".scales", 0.02 / Math.sqrt(k), (long) n * blocks);
        return w.node("com.microsoft", "MatMulNBits", List.of(x, b, s), "K", (long) k, "N", (long) n,
                "bits", 4L, "block_size", (long) BLOCK, "accuracy_level", 4L);
    }

    private String norm(String x, String name, int dim) {
        String scale;
        if (half) {
            scale = w.halfs(name, HALF_ONE, dim);
        } else {
            float[] ones = new float[dim];
            Arrays.fill(ones, 1f);
            scale = w.floats(name, new long[] {dim}, ones);
        }
        return w.node("LayerNormalization", List.of(x, scale), "axis", -1L);
    }

    private String swiglu(String x, String name, int dim, int hidden) throws IOException {
        String gate = linear(x, name + ".w1", dim, hidden);
        String up = linear(x, name + ".w3", dim, hidden);
        String silu = w.node("Mul", List.of(gate, w.node("Sigmoid", List.of(gate))));
        return linear(w.node("Mul", List.of(silu, up)), name + ".w2", hidden, dim);
    }

    private String block(String h, String name, int heads, int dim, int ffn, int kv) throws IOException {
        String n = norm(h, name + ".norm1", dim);
        String q = linear(n, name + ".to_q", dim, heads * 128);
        String k = linear(n, name + ".to_k", dim, kv);
        String v = linear(n, name + ".to_v", dim, kv);
        if (kv < heads * 128) { // grouped-query attention: each k/v head serves heads*128/kv query heads
            String reps = w.longs(name + ".reps", 1, 1, heads * 128 / kv);
            k = w.node("Tile", List.of(k, reps));
            v = w.node("Tile", List.of(v, reps));
        }
        String a = decomposed ? decomposedAttention(q, k, v, name, heads)
                : w.node("com.microsoft", "MultiHeadAttention", List.of(q, k, v), "num_heads", (long) heads);
        h = w.node("Add", List.of(h, linear(a, name + ".to_out", heads * 128, dim)));
        return w.node("Add", List.of(h, swiglu(norm(h, name + ".norm2", dim), name + ".ffn", dim, ffn)));
    }

    /** softmax(q k^T / sqrt(128)) v per head, as torch.onnx exports scaled dot-product attention. */
    private String decomposedAttention(String q, String k, String v, String name, int heads) {
        String split = w.longs(name + ".heads", 0, -1, heads, 128);
        String qh = w.node("Transpose", List.of(w.node("Reshape", List.of(q, split))), "perm", new long[] {0, 2, 1, 3});
        String kt = w.node("Transpose", List.of(w.node("Reshape", List.of(k, split))), "perm", new long[] {0, 2, 3, 1});
        String vh = w.node("Transpose", List.of(w.node("Reshape", List.of(v, split))), "perm", new long[] {0, 2, 1, 3});
        String scores = w.node("Mul", List.of(w.node("MatMul", List.of(qh, kt)),
                w.floats(name + ".scale", new long[0], (float) (1 / Math.sqrt(128)))));
        String out = w.node("MatMul", List.of(w.node("Softmax", List.of(scores), "axis", -1L), vh));
        return w.node("Reshape", List.of(w.node("Transpose", List.of(out), "perm", new long[] {0, 2, 1, 3}),
                w.longs(name + ".merge", 0, -1, (long) heads * 128)));
    }

    private static String conv(OnnxWriter w, String x, String name, int in, int out) throws IOException {
        String y = w.node("Conv", List.of(x, w.weight(name + ".weight", Math.sqrt(3.0 / (9 * in)), out, in, 3, 3)),
                "pads", new long[] {1, 1, 1, 1});
        return out == 3 ? y : w.node("Mul", List.of(y, w.node("Sigmoid", List.of(y))));
    }

    /** Bytes of the folder's files, for the log. */
    static String size(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            long bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
        }
    }
}
