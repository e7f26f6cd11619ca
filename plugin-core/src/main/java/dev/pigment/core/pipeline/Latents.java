package dev.pigment.core.pipeline;

import java.util.Objects;

/**
 * One image's latents, planar {@code [channels, height, width]} (batch 1). Immutable by convention:
 * the array is not copied, so callers that change it must clone first.
 */
record Latents(float[] data, int channels, int height, int width) {
    Latents {
        Objects.requireNonNull(data, "data");
        if (channels <= 0 || height <= 0 || width <= 0 || (long) channels * height * width != data.length) {
            throw new IllegalArgumentException("latents of length " + data.length + " are not " + channels + "x"
                    + height + "x" + width);
        }
    }

    int plane() {
        return height * width;
    }

    /**
     * diffusers' Z-Image patchify: {@code [C, H, W]} to tokens {@code [(H/p)*(W/p), p*p*C]}, tokens in
     * row-major patch order and each token ordered (py, px, c) as the transformer's
     * {@code permute(1, 3, 5, 2, 4, 6, 0)} lays it out.
     */
    float[] patchify(int p) {
        checkPatch(p);
        int hp = height / p;
        int wp = width / p;
        int token = p * p * channels;
        float[] out = new float[data.length];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int t = (y / p) * wp + x / p;
                    int within = ((y % p) * p + x % p) * channels + c;
                    out[t * token + within] = data[(c * height + y) * width + x];
                }
            }
        }
        return out;
    }

    /** The inverse of {@link #patchify}: tokens {@code [(H/p)*(W/p), p*p*C]} back to {@code [C, H, W]}. */
    static Latents unpatchify(float[] tokens, int p, int channels, int height, int width) {
        float[] out = new float[tokens.length];
        int wp = width / p;
        int token = p * p * channels;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int t = (y / p) * wp + x / p;
                    out[(c * height + y) * width + x] = tokens[t * token + ((y % p) * p + x % p) * channels + c];
                }
            }
        }
        return new Latents(out, channels, height, width);
    }

    private void checkPatch(int p) {
        if (p <= 0 || height % p != 0 || width % p != 0) {
            throw new IllegalArgumentException("latents " + height + "x" + width + " do not split into " + p + "x" + p + " patches");
        }
    }
}
