package dev.pigment.core.classic;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.Progress;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills the hole with a smooth blur of its surroundings by pull-push over an image pyramid (Gortler et
 * al. 1996): known colour is averaged down level by level until every coarse pixel has some, then each
 * level takes the upsampled coarser colour where it had none. The result is the smooth, low-frequency
 * fill krita-ai-diffusion pre-fills with for plain "fill" inpainting: the right colours, no texture.
 * Linear in the pixel count; also the first guess of {@link PatchMatchInpainter}'s coarsest level.
 */
public final class BlurFill implements HoleFiller {

    @Override
    public String mode() {
        return "blur";
    }

    @Override
    public RgbImage fill(RgbImage src, Mask hole, ProgressListener progress, CancellationToken cancel) {
        boolean[] h = Holes.of(src, hole);
        int n = src.pixelCount();
        int holes = Holes.count(h);
        if (holes == 0) {
            return src;
        }
        Holes.requireSomeKnown(holes, n, mode());
        float[] img = Holes.interleave(src.data(), n);
        fillInterleaved(img, h, src.width(), src.height(), cancel);
        progress.onProgress(Progress.of(Phase.FILL, 1, 1));
        return Holes.withHoleFrom(src, h, img);
    }

    /** Fills the hole pixels of an interleaved RGB array in place; at least one pixel must be known. */
    static void fillInterleaved(float[] img, boolean[] hole, int w, int h, CancellationToken cancel) {
        List<float[]> colours = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();
        int n = w * h;
        float[] c = new float[3 * n];
        float[] wt = new float[n];
        boolean complete = true;
        for (int i = 0; i < n; i++) {
            if (!hole[i]) {
                wt[i] = 1f;
                c[3 * i] = img[3 * i];
                c[3 * i + 1] = img[3 * i + 1];
                c[3 * i + 2] = img[3 * i + 2];
            } else {
                complete = false;
            }
        }
        colours.add(c);
        weights.add(wt);
        sizes.add(new int[] {w, h});
        int lw = w;
        int lh = h;
        // Pull: average down until no pixel of the level lacks colour.
        while (!complete) {
            cancel.throwIfCancelled();
            int cw = (lw + 1) / 2;
            int ch = (lh + 1) / 2;
            float[] fc = c;
            float[] fw = wt;
            c = new float[3 * cw * ch];
            wt = new float[cw * ch];
            complete = true;
            for (int y = 0; y < ch; y++) {
                for (int x = 0; x < cw; x++) {
                    float sr = 0f;
                    float sg = 0f;
                    float sb = 0f;
                    float sw = 0f;
                    for (int yy = 2 * y; yy < Math.min(lh, 2 * y + 2); yy++) {
                        for (int xx = 2 * x; xx < Math.min(lw, 2 * x + 2); xx++) {
                            int f = yy * lw + xx;
                            sr += fc[3 * f];
                            sg += fc[3 * f + 1];
                            sb += fc[3 * f + 2];
                            sw += fw[f];
                        }
                    }
                    int o = y * cw + x;
                    if (sw > 0f) {
                        // Weight clipped at 1, colour kept premultiplied by it.
                        float clipped = Math.min(1f, sw);
                        float scale = clipped / sw;
                        c[3 * o] = sr * scale;
                        c[3 * o + 1] = sg * scale;
                        c[3 * o + 2] = sb * scale;
                        wt[o] = clipped;
                    } else {
                        complete = false;
                    }
                }
            }
            lw = cw;
            lh = ch;
            colours.add(c);
            weights.add(wt);
            sizes.add(new int[] {lw, lh});
        }
        // The coarsest level: un-premultiply.
        int top = colours.size() - 1;
        float[] value = colours.get(top);
        float[] tw = weights.get(top);
        for (int i = 0; i < tw.length; i++) {
            for (int ch = 0; ch < 3; ch++) {
                value[3 * i + ch] /= tw[i];
            }
        }
        // Push: each finer level keeps its own colour by its weight and takes the rest from above.
        for (int level = top - 1; level >= 0; level--) {
            cancel.throwIfCancelled();
            int[] cs = sizes.get(level + 1);
            int[] fs = sizes.get(level);
            float[] fine = level == 0 ? null : colours.get(level);
            float[] fineW = weights.get(level);
            float[] next = level == 0 ? img : fine;
            for (int y = 0; y < fs[1]; y++) {
                float fy = Math.max(0f, Math.min(cs[1] - 1f, y * 0.5f - 0.25f));
                int y0 = (int) fy;
                int y1 = Math.min(y0 + 1, cs[1] - 1);
                float ty = fy - y0;
                for (int x = 0; x < fs[0]; x++) {
                    int i = y * fs[0] + x;
                    float fw = fineW[i];
                    if (fw >= 1f) {
                        continue;
                    }
                    float fx = Math.max(0f, Math.min(cs[0] - 1f, x * 0.5f - 0.25f));
                    int x0 = (int) fx;
                    int x1 = Math.min(x0 + 1, cs[0] - 1);
                    float tx = fx - x0;
                    for (int ch = 0; ch < 3; ch++) {
                        float v00 = value[3 * (y0 * cs[0] + x0) + ch];
                        float v01 = value[3 * (y0 * cs[0] + x1) + ch];
                        float v10 = value[3 * (y1 * cs[0] + x0) + ch];
                        float v11 = value[3 * (y1 * cs[0] + x1) + ch];
                        float top0 = v00 + tx * (v01 - v00);
                        float bot0 = v10 + tx * (v11 - v10);
                        float up = top0 + ty * (bot0 - top0);
                        if (level == 0) {
                            img[3 * i + ch] = up;
                        } else {
                            next[3 * i + ch] = fine[3 * i + ch] + (1f - fw) * up;
                        }
                    }
                }
            }
            value = next;
        }
    }
}
