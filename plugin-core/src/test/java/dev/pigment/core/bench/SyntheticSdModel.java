package dev.pigment.core.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A diffusers-layout model folder (text_encoder, unet, vae_decoder, tokenizer) whose components hold
 * real amounts of float32 weights, for memory benchmarks. Generated on demand, never committed.
 *
 * <p>The components keep Stable Diffusion 1.5's proportions (text encoder ~14% of the UNet, VAE
 * decoder ~6-8%), scaled so the UNet holds {@code unetLayers} x 16 MiB: 32 layers = 512 MiB (+4 MiB).
 * Every weight is used on every run (chains of MatMul + Tanh), so all of it is resident while a
 * component is loaded, and the outputs depend on every input. Latents are fixed at 8x8 (64x64 px).
 */
final class SyntheticSdModel {
    static final int UNET_WIDTH = 2048;
    static final int TEXT_WIDTH = 1024;
    static final int HIDDEN = 32;
    static final int TOKENS = 77;
    static final int LATENT = 8;

    private SyntheticSdModel() {
    }

    /** Writes the folder unless it already holds a model made with the same parameters. */
    static Path ensure(Path dir, int unetLayers) throws IOException {
        Path marker = dir.resolve("synthetic.json");
        String description = "{\"unetLayers\": " + unetLayers + ", \"unetWidth\": " + UNET_WIDTH
                + ", \"textWidth\": " + TEXT_WIDTH + ", \"version\": 1}\n";
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(description)) {
            return dir;
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(marker);
        textEncoder(dir.resolve("text_encoder/model.onnx"), Math.max(1, unetLayers * 18 / 32));
        unet(dir.resolve("unet/model.onnx"), unetLayers);
        vaeDecoder(dir.resolve("vae_decoder/model.onnx"));
        copyTokenizer(dir.resolve("tokenizer"));
        Files.writeString(marker, description);
        return dir;
    }

    private static void textEncoder(Path file, int layers) throws IOException {
        try (OnnxWriter w = new OnnxWriter(file, "weights.pb", 1)) {
            w.input("input_ids", OnnxWriter.INT32, "batch", TOKENS);
            String h = w.node("Gather", List.of(w.weight("embedding", 1.0, 248, TEXT_WIDTH), "input_ids"), "axis", 0L);
            double scale = Math.sqrt(3.0 / TEXT_WIDTH);
            for (int i = 0; i < layers; i++) {
                h = w.node("Tanh", List.of(w.node("MatMul", List.of(h, w.weight("w" + i, scale, TEXT_WIDTH, TEXT_WIDTH)))));
            }
            String out = w.node("MatMul", List.of(h, w.weight("w_out", scale, TEXT_WIDTH, HIDDEN)));
            w.output(out, "last_hidden_state", OnnxWriter.FLOAT, "batch", TOKENS, HIDDEN);
        }
    }

    private static void unet(Path file, int layers) throws IOException {
        int flat = 4 * LATENT * LATENT;
        try (OnnxWriter w = new OnnxWriter(file, "weights.pb", 2)) {
            w.input("sample", OnnxWriter.FLOAT, "batch", 4, "height", "width");
            w.input("timestep", OnnxWriter.INT64, "batch");
            w.input("encoder_hidden_states", OnnxWriter.FLOAT, "batch", "sequence", HIDDEN);
            String x = w.node("Reshape", List.of("sample", w.longs("flat_shape", -1, flat)));
            double scale = Math.sqrt(3.0 / UNET_WIDTH);
            String h = w.node("Tanh", List.of(w.node("MatMul", List.of(x,
                    w.weight("w_in", Math.sqrt(3.0 / flat), flat, UNET_WIDTH)))));
            for (int i = 0; i < layers; i++) {
                h = w.node("Tanh", List.of(w.node("MatMul", List.of(h, w.weight("w" + i, scale, UNET_WIDTH, UNET_WIDTH)))));
            }
            String o = w.node("MatMul", List.of(h, w.weight("w_out", scale, UNET_WIDTH, flat)));
            String ctx = w.node("ReduceMean", List.of("encoder_hidden_states"), "axes", new long[] {1}, "keepdims", 0L);
            ctx = w.node("MatMul", List.of(ctx, w.weight("w_ctx", 0.1, HIDDEN, flat)));
            String t = w.node("Cast", List.of("timestep"), "to", (long) OnnxWriter.FLOAT);
            t = w.node("Reshape", List.of(w.node("Mul", List.of(t, w.floats("t_scale", new long[] {1}, 0.001f))),
                    w.longs("t_shape", -1, 1)));
            String sum = w.node("Add", List.of(w.node("Add", List.of(o, ctx)), t));
            String out = w.node("Reshape", List.of(sum, w.node("Shape", List.of("sample"))));
            w.output(out, "out_sample", OnnxWriter.FLOAT, "batch", 4, "height", "width");
        }
    }

    private static void vaeDecoder(Path file) throws IOException {
        int flat = 4 * LATENT * LATENT;
        int half = 8 * LATENT / 2;
        try (OnnxWriter w = new OnnxWriter(file, "weights.pb", 3)) {
            w.input("latent_sample", OnnxWriter.FLOAT, "batch", 4, "latent_height", "latent_width");
            String x = w.node("Reshape", List.of("latent_sample", w.longs("flat_shape", -1, flat)));
            double scale = Math.sqrt(3.0 / UNET_WIDTH);
            String h = w.node("Tanh", List.of(w.node("MatMul", List.of(x,
                    w.weight("w_in", Math.sqrt(3.0 / flat), flat, UNET_WIDTH)))));
            h = w.node("Tanh", List.of(w.node("MatMul", List.of(h, w.weight("w_mid", scale, UNET_WIDTH, UNET_WIDTH)))));
            h = w.node("MatMul", List.of(h, w.weight("w_out", scale, UNET_WIDTH, 3 * half * half)));
            h = w.node("Reshape", List.of(h, w.longs("image_shape", -1, 3, half, half)));
            h = w.node("Resize", List.of(h, "", w.floats("scales", new long[] {4}, 1, 1, 2, 2)), "mode", "nearest");
            w.output(w.node("Tanh", List.of(h)), "sample", OnnxWriter.FLOAT, "batch", 3, "height", "width");
        }
    }

    private static void copyTokenizer(Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : List.of("tokenizer.json", "tokenizer_config.json")) {
            try (InputStream in = SyntheticSdModel.class.getResourceAsStream("/models/tiny-sd/tokenizer/" + name)) {
                if (in == null) {
                    throw new IOException("test resource models/tiny-sd/tokenizer/" + name + " is missing");
                }
                Files.copy(in, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(to.resolve("README.txt"), "Tiny CLIP BPE tokenizer copied from the test fixtures.\n",
                StandardCharsets.UTF_8);
    }
}
