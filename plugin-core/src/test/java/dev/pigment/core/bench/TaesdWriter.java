package dev.pigment.core.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a decoder in the TAESD layout (madebyollin's tiny autoencoder, diffusers' {@code DecoderTiny})
 * with random weights: {@code tanh(z/3)*3}, conv to {@code width} channels, then stages of residual
 * blocks (conv-ReLU-conv-ReLU-conv + skip, ReLU) each followed by a nearest 2x upsample and a
 * bias-free conv, one last block, a conv to RGB, and diffusers' {@code *2-1} to [-1, 1].
 *
 * <p>{@code width 64, blocks 3, upsamples 3} is the real TAESD decoder's shape (about 1.2 M weights),
 * used by the benchmarks to time it at full size; tests use a much narrower one.
 */
public final class TaesdWriter {
    private TaesdWriter() {
    }

    /**
     * @param width     channels of every hidden conv (TAESD: 64)
     * @param blocks    residual blocks per stage (TAESD: 3)
     * @param upsamples 2x upsamples = log2 of the VAE's downscale factor (TAESD: 3)
     */
    public static void write(Path file, int latentChannels, int width, int blocks, int upsamples, long seed)
            throws IOException {
        try (OnnxWriter w = new OnnxWriter(file, "weights.pb", seed)) {
            w.input("latent_sample", OnnxWriter.FLOAT, "batch", latentChannels, "latent_height", "latent_width");
            String three = w.floats("three", new long[] {}, 3f);
            String h = w.node("Mul", List.of(w.node("Tanh", List.of(w.node("Div", List.of("latent_sample", three)))), three));
            h = relu(w, conv(w, h, "conv_in", latentChannels, width, true));
            for (int stage = 0; stage < upsamples; stage++) {
                for (int b = 0; b < blocks; b++) {
                    h = block(w, h, "s" + stage + "b" + b, width);
                }
                h = w.node("Resize", List.of(h, "", w.floats("scales" + stage, new long[] {4}, 1, 1, 2, 2)),
                        "mode", "nearest");
                h = conv(w, h, "up" + stage, width, width, false);
            }
            h = block(w, h, "last", width);
            h = conv(w, h, "conv_out", width, 3, true);
            h = w.node("Sub", List.of(w.node("Mul", List.of(h, w.floats("two", new long[] {}, 2f))),
                    w.floats("one", new long[] {}, 1f)));
            w.output(h, "sample", OnnxWriter.FLOAT, "batch", 3, "height", "width");
        }
    }

    private static String block(OnnxWriter w, String x, String name, int width) throws IOException {
        String h = relu(w, conv(w, x, name + "_c0", width, width, true));
        h = relu(w, conv(w, h, name + "_c1", width, width, true));
        h = conv(w, h, name + "_c2", width, width, true);
        return relu(w, w.node("Add", List.of(h, x)));
    }

    private static String conv(OnnxWriter w, String x, String name, int in, int out, boolean bias) throws IOException {
        // He-uniform keeps activations of the ReLU chain in range with random weights.
        double scale = Math.sqrt(6.0 / (in * 9)) * 0.5;
        String weight = w.weight(name + "_w", scale, out, in, 3, 3);
        List<String> inputs = bias ? List.of(x, weight, w.weight(name + "_b", 0.05, out)) : List.of(x, weight);
        return w.node("Conv", inputs, "kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1});
    }

    private static String relu(OnnxWriter w, String x) {
        return w.node("Relu", List.of(x));
    }
}
