package dev.pigment.core.bench;

import dev.pigment.core.runtime.MemoryPolicy;
import dev.pigment.core.runtime.OnnxComponent;
import dev.pigment.core.runtime.OptLevel;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.runtime.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract {@code bench/sd21/fused_attention.py} exports against: ONNX Runtime's
 * {@code com.microsoft::MultiHeadAttention} with Q [B, S, heads*d], K and V [B, L, heads*d], {@code num_heads}
 * and {@code scale} computes softmax(Q K^T * scale) V per head, as diffusers' attention does, through Pigment's
 * {@link OnnxComponent}. Self-attention over more tokens than one flash-attention tile and cross-attention
 * over 77 text tokens are both checked against a plain Java reference.
 */
class FusedAttentionOpTest {
    private static final int HEADS = 3;
    private static final int HEAD_SIZE = 8;
    /** Not the op's default 1/sqrt(head size): the export always writes diffusers' attn.scale, which must count. */
    private static final float SCALE = 0.3f;

    @TempDir
    Path dir;

    @Test
    void selfAndCrossAttentionMatchTheReference() throws IOException {
        for (int[] tokens : new int[][] {{600, 600}, {256, 77}}) {
            int s = tokens[0];
            int l = tokens[1];
            Path file = dir.resolve("mha-" + s + "-" + l + "/model.onnx");
            try (OnnxWriter w = new OnnxWriter(file, "weights.pb", 1)) {
                int hidden = HEADS * HEAD_SIZE;
                w.input("q", OnnxWriter.FLOAT, 1, s, hidden);
                w.input("k", OnnxWriter.FLOAT, 1, l, hidden);
                w.input("v", OnnxWriter.FLOAT, 1, l, hidden);
                String out = w.node("com.microsoft", "MultiHeadAttention", List.of("q", "k", "v"),
                        "num_heads", (long) HEADS, "scale", SCALE);
                w.output(out, "out", OnnxWriter.FLOAT, 1, s, hidden);
            }
            float[] q = values(s, 1);
            float[] k = values(l, 2);
            float[] v = values(l, 3);
            RuntimeOptions options = new RuntimeOptions(2, 1, OptLevel.ALL_OPT, MemoryPolicy.KEEP_LOADED);
            try (OnnxComponent c = new OnnxComponent("attention", file, options)) {
                int hidden = HEADS * HEAD_SIZE;
                float[] got = c.run(Map.of("q", Tensor.ofFloats(q, 1, s, hidden), "k", Tensor.ofFloats(k, 1, l, hidden),
                        "v", Tensor.ofFloats(v, 1, l, hidden))).get("out").floats();
                float[] expected = reference(q, k, v, s, l);
                assertEquals(expected.length, got.length);
                double worst = 0;
                for (int i = 0; i < got.length; i++) {
                    worst = Math.max(worst, Math.abs(got[i] - expected[i]));
                }
                assertTrue(worst < 1e-5, "S=" + s + " L=" + l + ": max abs diff " + worst);
            }
        }
    }

    private static float[] values(int tokens, int salt) {
        float[] v = new float[tokens * HEADS * HEAD_SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i * 0.61 + salt) * 2;
        }
        return v;
    }

    /** Per head h: softmax over j of scale * sum_c q[i, h, c] k[j, h, c], times v[j, h, :]. */
    private static float[] reference(float[] q, float[] k, float[] v, int s, int l) {
        int hidden = HEADS * HEAD_SIZE;
        float[] out = new float[s * hidden];
        double[] w = new double[l];
        for (int h = 0; h < HEADS; h++) {
            for (int i = 0; i < s; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < l; j++) {
                    double dot = 0;
                    for (int c = 0; c < HEAD_SIZE; c++) {
                        dot += q[i * hidden + h * HEAD_SIZE + c] * k[j * hidden + h * HEAD_SIZE + c];
                    }
                    w[j] = dot * SCALE;
                    max = Math.max(max, w[j]);
                }
                double sum = 0;
                for (int j = 0; j < l; j++) {
                    w[j] = Math.exp(w[j] - max);
                    sum += w[j];
                }
                for (int c = 0; c < HEAD_SIZE; c++) {
                    double acc = 0;
                    for (int j = 0; j < l; j++) {
                        acc += w[j] * v[j * hidden + h * HEAD_SIZE + c];
                    }
                    out[i * hidden + h * HEAD_SIZE + c] = (float) (acc / sum);
                }
            }
        }
        return out;
    }
}
