package dev.pigment.core.classic;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.image.RgbImage;

/**
 * Patch-based texture transfer in the manner of image analogies (Hertzmann et al. 2001) solved with
 * PatchMatch and EM voting (Barnes et al. 2009; Wexler et al. 2007): the output is rebuilt entirely from
 * reference patches, each chosen to match both the output's current look (so neighbouring patches agree
 * and the reference's local texture appears) and the content's luminance at that place (so the content's
 * structure stays). The content's luminance is first remapped to the reference's mean and spread, as in
 * image analogies, so that a dark content can still find matches in a bright reference.
 *
 * <p>Coarse to fine; the coarsest output starts from a {@link ReinhardTransfer} of the content. The
 * strength blends the synthesis with the content. The reference is used at its own scale, so its texture
 * keeps its size; references larger than {@link #MAX_REFERENCE_PIXELS} are shrunk first to bound the time.
 */
public final class PatchStyleTransfer implements StyleTransfer {
    public static final int DEFAULT_PATCH_SIZE = 5;
    public static final int MAX_REFERENCE_PIXELS = 1 << 20;
    /** Weight of the structure (luminance guide) channel relative to one colour channel. */
    private static final float GUIDE = 2f;
    private static final int MAX_LEVELS = 5;
    private static final int COARSEST_EM = 4;
    private static final int EM = 2;
    private static final int PASSES = 2;

    private final int patchSize;
    private final boolean preserveLuminance;
    private final long seed;

    public PatchStyleTransfer(int patchSize, boolean preserveLuminance, long seed) {
        if (patchSize < 3 || patchSize > 15 || patchSize % 2 == 0) {
            throw PigmentException.badRequest("patch-size=" + patchSize
                    + " is not usable for method=texture: use an odd number from 3 to 15 (default "
                    + DEFAULT_PATCH_SIZE + ").");
        }
        this.patchSize = patchSize;
        this.preserveLuminance = preserveLuminance;
        this.seed = seed;
    }

    @Override
    public String method() {
        return "texture";
    }

    @Override
    public RgbImage transfer(RgbImage content, RgbImage reference, double strength, ProgressListener progress,
                             CancellationToken cancel) {
        StyleStrength.check(strength);
        int r = patchSize / 2;
        if (reference.pixelCount() > MAX_REFERENCE_PIXELS) {
            double f = Math.sqrt((double) MAX_REFERENCE_PIXELS / reference.pixelCount());
            reference = reference.resize(Math.max(1, (int) (reference.width() * f)), Math.max(1, (int) (reference.height() * f)));
        }
        if (reference.width() < patchSize || reference.height() < patchSize) {
            throw PigmentException.badRequest("The reference is " + reference.width() + "x" + reference.height()
                    + ", smaller than one " + patchSize + "x" + patchSize
                    + " patch: use a larger reference or a smaller patch-size for method=texture.");
        }
        int cw = content.width();
        int ch = content.height();
        int n = cw * ch;
        int rw = reference.width();
        int rh = reference.height();
        // Guides: content luminance remapped to the reference's mean and spread.
        float[] gc = ColorSpaces.luma(content.data(), n, null);
        float[] gr = ColorSpaces.luma(reference.data(), rw * rh, null);
        remap(gc, gr);
        float[] start = new ReinhardTransfer().transfer(content, reference, 1.0, ProgressListener.NONE, cancel).data();
        // Pyramids, finest first: features are interleaved [r, g, b, GUIDE * luma].
        int levels = 1;
        while (levels < MAX_LEVELS && Math.min(Math.min(cw, ch), Math.min(rw, rh)) >> levels >= 8 * patchSize) {
            levels++;
        }
        float[][] a = new float[levels][];
        float[][] b = new float[levels][];
        int[][] as = new int[levels][];
        int[][] bs = new int[levels][];
        a[0] = features(start, gc, n);
        b[0] = features(reference.data(), gr, rw * rh);
        as[0] = new int[] {cw, ch};
        bs[0] = new int[] {rw, rh};
        for (int l = 1; l < levels; l++) {
            as[l] = new int[] {(as[l - 1][0] + 1) / 2, (as[l - 1][1] + 1) / 2};
            bs[l] = new int[] {(bs[l - 1][0] + 1) / 2, (bs[l - 1][1] + 1) / 2};
            a[l] = half(a[l - 1], as[l - 1][0], as[l - 1][1]);
            b[l] = half(b[l - 1], bs[l - 1][0], bs[l - 1][1]);
        }
        int total = COARSEST_EM + (levels - 1) * EM;
        int step = 0;
        PatchMatchField coarser = null;
        for (int l = levels - 1; l >= 0; l--) {
            cancel.throwIfCancelled();
            int aw = as[l][0];
            int ah = as[l][1];
            int bw = bs[l][0];
            int bh = bs[l][1];
            int[] all = new int[aw * ah];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            boolean[] valid = new boolean[bw * bh];
            for (int y = r; y < bh - r; y++) {
                for (int x = r; x < bw - r; x++) {
                    valid[y * bw + x] = true;
                }
            }
            PatchMatchField field = new PatchMatchField(4, r, a[l], aw, ah, b[l], bw, bh, all, valid);
            long levelSeed = Seeds.mix(seed, l);
            if (coarser == null) {
                field.randomize(levelSeed);
            } else {
                field.upsample(coarser, levelSeed);
                field.vote(all, false, null, cancel);
            }
            field.recomputeCosts(cancel);
            int em = coarser == null ? COARSEST_EM : EM;
            for (int it = 0; it < em; it++) {
                field.search(PASSES, Seeds.mix(levelSeed, it + 1), cancel);
                field.vote(all, false, null, cancel);
                field.recomputeCosts(cancel);
                progress.onProgress(Progress.of(Phase.RESTYLE, ++step, total));
            }
            coarser = field;
        }
        float[] out = new float[3 * n];
        float[] src = content.data();
        float s = (float) strength;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float v = src[c * n + i];
                out[c * n + i] = ColorSpaces.clamp01(v + s * (a[0][4 * i + c] - v));
            }
        }
        if (preserveLuminance) {
            float[] lab = ColorSpaces.rgbToLab(out, n, null);
            float[] orig = ColorSpaces.rgbToLab(src, n, null);
            System.arraycopy(orig, 0, lab, 0, n);
            out = ColorSpaces.labToRgb(lab, n, null);
        }
        return RgbImage.wrap(cw, ch, out);
    }

    /** Shifts and scales {@code v} so its mean and standard deviation become those of {@code target}. */
    private static void remap(float[] v, float[] target) {
        double[] sv = meanStd(v);
        double[] st = meanStd(target);
        double scale = sv[1] > 1e-6 ? st[1] / sv[1] : 1.0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((v[i] - sv[0]) * scale + st[0]);
        }
    }

    private static double[] meanStd(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x;
        }
        double mean = sum / v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(var / v.length)};
    }

    private static float[] features(float[] planarRgb, float[] guide, int n) {
        float[] f = new float[4 * n];
        for (int i = 0; i < n; i++) {
            f[4 * i] = planarRgb[i];
            f[4 * i + 1] = planarRgb[n + i];
            f[4 * i + 2] = planarRgb[2 * n + i];
            f[4 * i + 3] = GUIDE * guide[i];
        }
        return f;
    }

    /** 2x2 box average of an interleaved 4-channel image (odd sizes keep their last row/column). */
    private static float[] half(float[] f, int w, int h) {
        int cw = (w + 1) / 2;
        int ch = (h + 1) / 2;
        float[] out = new float[4 * cw * ch];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int cnt = 0;
                int o = 4 * (y * cw + x);
                for (int yy = 2 * y; yy < Math.min(h, 2 * y + 2); yy++) {
                    for (int xx = 2 * x; xx < Math.min(w, 2 * x + 2); xx++) {
                        int i = 4 * (yy * w + xx);
                        for (int c = 0; c < 4; c++) {
                            out[o + c] += f[i + c];
                        }
                        cnt++;
                    }
                }
                for (int c = 0; c < 4; c++) {
                    out[o + c] /= cnt;
                }
            }
        }
        return out;
    }
}
