package dev.pigment.core.pipeline;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.VaeConfig;
import dev.pigment.core.runtime.ComponentGroup;
import dev.pigment.core.runtime.OnnxComponent;
import dev.pigment.core.runtime.Tensor;
import java.util.Map;

/**
 * The VAE: pixels in [0,1] to scaled latents and back, tiled with blended overlaps when the image
 * is larger than one tile so memory stays bounded on big canvases.
 */
final class Vae {
    static final String ENCODER = "vae_encoder";
    static final String DECODER = "vae_decoder";

    private final ComponentGroup group;
    private final VaeConfig config;
    private final int latentChannels;
    /** Tile side in latent cells; images at most this big are processed in one pass. */
    private final int tileLatent;
    private final int overlapLatent;

    Vae(ComponentGroup group, VaeConfig config, int latentChannels, int tileLatent) {
        this.group = group;
        this.config = config;
        this.latentChannels = latentChannels;
        this.tileLatent = tileLatent;
        this.overlapLatent = Math.max(2, tileLatent / 4);
    }

    int downscale() {
        return config.downscale();
    }

    boolean canEncode() {
        return group.has(ENCODER);
    }

    /** Encodes an image whose sides are multiples of {@link #downscale()} to scaled latents [C, h/f, w/f]. */
    float[] encode(RgbImage image) {
        if (!canEncode()) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "This model has no vae_encoder/model.onnx, so it can only"
                    + " generate from text. Add the VAE encoder to the model folder for image-to-image and inpainting.");
        }
        int f = config.downscale();
        int lh = image.height() / f;
        int lw = image.width() / f;
        float[] out = new float[latentChannels * lh * lw];
        float[] weights = new float[lh * lw];
        int tile = tileLatent;
        for (int ty : TileBlender.starts(lh, tile, overlapLatent)) {
            for (int tx : TileBlender.starts(lw, tile, overlapLatent)) {
                int th = Math.min(tile, lh);
                int tw = Math.min(tile, lw);
                float[] tileLatents = encodeWhole(image.crop(tx * f, ty * f, tw * f, th * f));
                accumulate(out, weights, tileLatents, latentChannels, lh, lw, tx, ty, tw, th, overlapLatent);
            }
        }
        normalise(out, weights, latentChannels);
        float scale = (float) config.scalingFactor();
        float shift = (float) config.shiftFactor();
        for (int i = 0; i < out.length; i++) {
            out[i] = (out[i] - shift) * scale;
        }
        return out;
    }

    private float[] encodeWhole(RgbImage image) {
        OnnxComponent encoder = group.acquire(ENCODER);
        float[] px = image.data().clone();
        for (int i = 0; i < px.length; i++) {
            px[i] = px[i] * 2f - 1f;
        }
        String input = encoder.inputs().get(0).name();
        Map<String, Tensor> out = encoder.run(Map.of(input, Tensor.ofFloats(px, 1, 3, image.height(), image.width())));
        Tensor t = out.containsKey("latent_sample") ? out.get("latent_sample")
                : out.containsKey("latent_parameters") ? out.get("latent_parameters")
                : out.values().iterator().next();
        long[] shape = t.shape();
        int channels = (int) shape[1];
        int plane = (int) (shape[2] * shape[3]);
        if (channels != latentChannels && channels != 2 * latentChannels) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "vae_encoder gives " + channels + " channels but the UNet works on "
                    + latentChannels + ": the VAE does not belong to this model.");
        }
        // optimum's exports return mean and log-variance stacked; diffusers takes the mean (mode) for editing.
        return java.util.Arrays.copyOf(t.floats(), latentChannels * plane);
    }

    /** Decodes scaled latents [C, lh, lw] to an image of (lw*f) x (lh*f) in [0,1]. */
    RgbImage decode(float[] latents, int lh, int lw) {
        float[] unscaled = new float[latents.length];
        float inv = (float) (1.0 / config.scalingFactor());
        float shift = (float) config.shiftFactor();
        for (int i = 0; i < latents.length; i++) {
            unscaled[i] = latents[i] * inv + shift;
        }
        int f = config.downscale();
        int h = lh * f;
        int w = lw * f;
        float[] out = new float[3 * h * w];
        float[] weights = new float[h * w];
        int tile = tileLatent;
        for (int ty : TileBlender.starts(lh, tile, overlapLatent)) {
            for (int tx : TileBlender.starts(lw, tile, overlapLatent)) {
                int th = Math.min(tile, lh);
                int tw = Math.min(tile, lw);
                float[] px = decodeWhole(cropPlanes(unscaled, latentChannels, lh, lw, tx, ty, tw, th), th, tw);
                accumulate(out, weights, px, 3, h, w, tx * f, ty * f, tw * f, th * f, overlapLatent * f);
            }
        }
        normalise(out, weights, 3);
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(1f, Math.max(0f, (out[i] + 1f) / 2f));
        }
        return RgbImage.wrap(w, h, out);
    }

    private float[] decodeWhole(float[] latents, int lh, int lw) {
        OnnxComponent decoder = group.acquire(DECODER);
        String input = decoder.inputs().get(0).name();
        Map<String, Tensor> out = decoder.run(Map.of(input, Tensor.ofFloats(latents, 1, latentChannels, lh, lw)));
        Tensor t = out.containsKey("sample") ? out.get("sample") : out.values().iterator().next();
        int f = config.downscale();
        if (t.elementCount() != 3L * lh * f * lw * f) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "vae_decoder turned " + lw + "x" + lh + " latents into shape "
                    + java.util.Arrays.toString(t.shape()) + ", expected [1, 3, " + lh * f + ", " + lw * f
                    + "]: check block_out_channels in vae_decoder/config.json.");
        }
        return t.floats();
    }

    private static float[] cropPlanes(float[] src, int channels, int h, int w, int x, int y, int cw, int ch) {
        if (x == 0 && y == 0 && cw == w && ch == h) {
            return src;
        }
        float[] out = new float[channels * cw * ch];
        for (int c = 0; c < channels; c++) {
            for (int row = 0; row < ch; row++) {
                System.arraycopy(src, c * h * w + (y + row) * w + x, out, c * cw * ch + row * cw, cw);
            }
        }
        return out;
    }

    /** Adds a tile's values, weighted by the overlap ramps, into the full-size accumulators. */
    private static void accumulate(float[] out, float[] weights, float[] tile, int channels, int h, int w,
                                   int x, int y, int tw, int th, int overlap) {
        int n = h * w;
        int m = tw * th;
        for (int row = 0; row < th; row++) {
            float wy = TileBlender.weight(row, th, y, h, overlap);
            for (int col = 0; col < tw; col++) {
                float wt = wy * TileBlender.weight(col, tw, x, w, overlap);
                int dst = (y + row) * w + x + col;
                weights[dst] += wt;
                for (int c = 0; c < channels; c++) {
                    out[c * n + dst] += wt * tile[c * m + row * tw + col];
                }
            }
        }
    }

    private static void normalise(float[] out, float[] weights, int channels) {
        int n = weights.length;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                out[c * n + i] /= weights[i];
            }
        }
    }
}
