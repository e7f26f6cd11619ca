package dev.pigment.core.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pigment.core.image.RgbImage;
import java.util.Arrays;

/**
 * A model's own linear latent-to-RGB map for live previews, from pigment.json: {@code "latent_rgb_factors"}
 * (one {@code [r, g, b]} row per latent channel) and optionally {@code "latent_rgb_bias"} ({@code [r, g, b]}).
 * The preview pixel is {@code clamp(bias + sum_k z_k * factors[k], 0, 1)} for the denoiser-space latents z.
 * Models whose latents differ from SD's (the demo's small VAE) need their own; it is fitted by least squares
 * on the model's own VAE decoder (see models/demo/README.md).
 */
public record LatentRgbFactors(float[][] factors, float[] bias) {
    public LatentRgbFactors {
        if (factors.length == 0) {
            throw new IllegalArgumentException("latent_rgb_factors is empty");
        }
        factors = Arrays.stream(factors).map(float[]::clone).toArray(float[][]::new);
        for (float[] row : factors) {
            if (row.length != 3) {
                throw new IllegalArgumentException("a latent_rgb_factors row has " + row.length + " values, not 3");
            }
        }
        bias = bias == null ? new float[3] : bias.clone();
        if (bias.length != 3) {
            throw new IllegalArgumentException("latent_rgb_bias has " + bias.length + " values, not 3");
        }
    }

    /** One [r, g, b] row per latent channel (a copy). */
    @Override
    public float[][] factors() {
        return Arrays.stream(factors).map(float[]::clone).toArray(float[][]::new);
    }

    /** [r, g, b] (a copy). */
    @Override
    public float[] bias() {
        return bias.clone();
    }

    /** The latent channels these factors are for. */
    public int channels() {
        return factors.length;
    }

    /** Latents [C,h,w] to an h x w RGB preview. */
    public RgbImage render(float[] latents, int h, int w) {
        int n = h * w;
        int channels = factors.length;
        if (latents.length != channels * n) {
            throw new IllegalArgumentException("latents hold " + latents.length + " values, not " + channels + "x" + h
                    + "x" + w);
        }
        float[] out = new float[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float v = bias[c];
                for (int k = 0; k < channels; k++) {
                    v += latents[k * n + i] * factors[k][c];
                }
                out[c * n + i] = Math.min(1f, Math.max(0f, v));
            }
        }
        return RgbImage.wrap(w, h, out);
    }

    /**
     * Reads the two keys of pigment.json's root; null when {@code latent_rgb_factors} is absent.
     *
     * @throws JsonFiles.JsonProblem naming the key and the shape expected
     */
    static LatentRgbFactors parse(JsonObject root) throws JsonFiles.JsonProblem {
        JsonElement f = root.get("latent_rgb_factors");
        if (f == null || f.isJsonNull()) {
            return null;
        }
        String shape = "key 'latent_rgb_factors' must be a list of [r, g, b] number rows, one per latent channel";
        if (!f.isJsonArray() || f.getAsJsonArray().isEmpty()) {
            throw new JsonFiles.JsonProblem(shape, null);
        }
        JsonArray rows = f.getAsJsonArray();
        float[][] factors = new float[rows.size()][];
        for (int k = 0; k < rows.size(); k++) {
            factors[k] = triple(rows.get(k), shape);
        }
        JsonElement b = root.get("latent_rgb_bias");
        float[] bias = b == null || b.isJsonNull() ? null
                : triple(b, "key 'latent_rgb_bias' must be [r, g, b] numbers");
        return new LatentRgbFactors(factors, bias);
    }

    private static float[] triple(JsonElement e, String shape) throws JsonFiles.JsonProblem {
        if (!e.isJsonArray() || e.getAsJsonArray().size() != 3) {
            throw new JsonFiles.JsonProblem(shape, null);
        }
        float[] v = new float[3];
        for (int c = 0; c < 3; c++) {
            JsonElement x = e.getAsJsonArray().get(c);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber() || !Float.isFinite(x.getAsFloat())) {
                throw new JsonFiles.JsonProblem(shape + "; found " + x, null);
            }
            v[c] = x.getAsFloat();
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatentRgbFactors l && Arrays.deepEquals(factors, l.factors) && Arrays.equals(bias, l.bias);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(factors) + Arrays.hashCode(bias);
    }

    @Override
    public String toString() {
        return "LatentRgbFactors" + Arrays.deepToString(factors) + " + " + Arrays.toString(bias);
    }
}
