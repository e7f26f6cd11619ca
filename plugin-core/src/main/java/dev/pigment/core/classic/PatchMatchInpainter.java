package dev.pigment.core.classic;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Exemplar-based inpainting: the hole is rebuilt from patches copied from the rest of the image.
 *
 * <p>Wexler, Shechtman and Irani (2007), "Space-time completion of video", with the nearest-neighbour
 * search of Barnes et al. (2009), "PatchMatch": coarse to fine over an image pyramid, alternate
 * (E) finding for every patch touching the hole its most similar fully known patch with
 * {@link PatchMatchField}, and (M) setting each hole pixel to the similarity-weighted vote of the
 * overlapping matches. The coarsest level starts from an {@link OnionPeel} fill (which carries a
 * texture's phase in from the hole's edge); each finer level from the upsampled field of the one above.
 *
 * <p>Low-frequency guide: a {@link TeleaInpainter} fill, blurred, is compared at the patch centres
 * besides the patch itself (as the guidance channels of image analogies). It keeps the matches from
 * drifting to patches of the right texture but the wrong colour, which is what otherwise happens in large
 * holes of photographs (measured: mean SSIM in the hole 0.38 without, 0.47 with).
 *
 * <p>Search area: the whole image, or a band of {@code bandWidth} pixels around the hole (faster and
 * keeps the fill local on large images). Deterministic for a given seed, whatever the core count.
 */
public final class PatchMatchInpainter implements HoleFiller {
    public static final int DEFAULT_PATCH_SIZE = 7;
    public static final int DEFAULT_BAND_WIDTH = 64;
    /**
     * Coarsest level: the hole is at most this many patch radii deep there. Going coarser (2 radii was
     * tried) leaves too little image for the patches to mean anything, and the fill gets worse.
     */
    private static final int COARSE_DEPTH_IN_RADII = 8;
    private static final int MIN_SOURCES = 64;
    private static final int COARSEST_EM = 10;
    private static final int MIDDLE_EM = 4;
    private static final int FINEST_EM = 2;
    private static final int PASSES = 2;
    /**
     * Weight of the low-frequency guide at the patch centre, per patch pixel. Without it (0) the matches
     * drift to the smoothest patches of the image and whole regions get the wrong colour; 1, 4, 16, 64
     * were measured with bench/classic/inpaint_benchmark.py and 16 gave the best SSIM in the hole.
     */
    private static final float GUIDE_WEIGHT = 16f;

    private final int patchSize;
    private final boolean bandSearch;
    private final int bandWidth;
    private final long seed;

    /**
     * @param patchSize  odd patch side, 3..31
     * @param bandSearch search only within {@code bandWidth} pixels of the hole instead of the whole image
     * @param bandWidth  width of that band in pixels (at full resolution), 1..MAX_SIDE
     * @param seed       random seed (non-negative)
     */
    public PatchMatchInpainter(int patchSize, boolean bandSearch, int bandWidth, long seed) {
        if (patchSize < 3 || patchSize > 31 || patchSize % 2 == 0) {
            throw PigmentException.badRequest("patch-size=" + patchSize
                    + " is not usable: use an odd number from 3 to 31 (default " + DEFAULT_PATCH_SIZE + ").");
        }
        if (bandWidth < 1) {
            throw PigmentException.badRequest("band-width=" + bandWidth
                    + " is not usable: use a positive number of pixels (default " + DEFAULT_BAND_WIDTH + ").");
        }
        if (seed < 0) {
            throw PigmentException.badRequest("seed=" + seed + " is negative: pass the seed the engine resolved.");
        }
        this.patchSize = patchSize;
        this.bandSearch = bandSearch;
        this.bandWidth = bandWidth;
        this.seed = seed;
    }

    /** Defaults: 7x7 patches, whole-image search. */
    public PatchMatchInpainter(long seed) {
        this(DEFAULT_PATCH_SIZE, false, DEFAULT_BAND_WIDTH, seed);
    }

    @Override
    public String mode() {
        return "patchmatch";
    }

    public int patchSize() {
        return patchSize;
    }

    public boolean bandSearch() {
        return bandSearch;
    }

    public int bandWidth() {
        return bandWidth;
    }

    public long seed() {
        return seed;
    }

    /** One pyramid level's working state. */
    private static final class Level {
        final int w;
        final int h;
        final float[] img;
        final boolean[] hole;
        /** A smooth (Telea) fill of the hole, the same as img outside it: the low-frequency guide. */
        final float[] smooth;

        Level(int w, int h, float[] img, boolean[] hole, float[] smooth) {
            this.w = w;
            this.h = h;
            this.img = img;
            this.hole = hole;
            this.smooth = smooth;
        }

        Level half() {
            int cw = (w + 1) / 2;
            int ch = (h + 1) / 2;
            float[] ci = new float[3 * cw * ch];
            float[] cs = new float[3 * cw * ch];
            boolean[] chole = new boolean[cw * ch];
            for (int y = 0; y < ch; y++) {
                for (int x = 0; x < cw; x++) {
                    float r = 0f;
                    float g = 0f;
                    float b = 0f;
                    float sr = 0f;
                    float sg = 0f;
                    float sb = 0f;
                    int cnt = 0;
                    boolean anyHole = false;
                    for (int yy = 2 * y; yy < Math.min(h, 2 * y + 2); yy++) {
                        for (int xx = 2 * x; xx < Math.min(w, 2 * x + 2); xx++) {
                            int f = yy * w + xx;
                            // A coarse pixel is known only if all its children are: no hole colour leaks up.
                            anyHole |= hole[f];
                            r += img[3 * f];
                            g += img[3 * f + 1];
                            b += img[3 * f + 2];
                            sr += smooth[3 * f];
                            sg += smooth[3 * f + 1];
                            sb += smooth[3 * f + 2];
                            cnt++;
                        }
                    }
                    int o = y * cw + x;
                    chole[o] = anyHole;
                    ci[3 * o] = r / cnt;
                    ci[3 * o + 1] = g / cnt;
                    ci[3 * o + 2] = b / cnt;
                    cs[3 * o] = sr / cnt;
                    cs[3 * o + 1] = sg / cnt;
                    cs[3 * o + 2] = sb / cnt;
                }
            }
            return new Level(cw, ch, ci, chole, cs);
        }
    }

    @Override
    public RgbImage fill(RgbImage src, Mask hole, ProgressListener progress, CancellationToken cancel) {
        boolean[] h0 = Holes.of(src, hole);
        int w = src.width();
        int h = src.height();
        int n = w * h;
        int holes = Holes.count(h0);
        if (holes == 0) {
            return src;
        }
        Holes.requireSomeKnown(holes, n, mode());
        int r = patchSize / 2;
        float[] smooth = Holes.interleave(new TeleaInpainter().fill(src, hole, cancel).data(), n);
        Level finest = new Level(w, h, Holes.interleave(src.data(), n), h0, smooth);
        if (!hasSources(finest, r, 0)) {
            throw PigmentException.badRequest("No " + patchSize + "x" + patchSize
                    + " area outside the mask is left to copy from"
                    + (bandSearch ? " within band-width=" + bandWidth + " of the hole" : "")
                    + ": shrink the mask, use a smaller patch-size"
                    + (bandSearch ? ", a wider band-width or search=image" : "") + ", or fill=telea.");
        }
        List<Level> pyramid = pyramid(finest, r);
        int levels = pyramid.size();
        int total = 0;
        for (int l = 0; l < levels; l++) {
            total += emIterations(l, levels);
        }
        int step = 0;
        PatchMatchField coarser = null;
        for (int l = levels - 1; l >= 0; l--) {
            cancel.throwIfCancelled();
            Level lv = pyramid.get(l);
            boolean[] near = Morphology.dilate(lv.hole, lv.w, lv.h, r);
            int[] targets = indicesOf(near);
            int[] holePixels = indicesOf(lv.hole);
            boolean[] valid = validSources(lv, near, r, l);
            float[] guide = Filters.boxBlur3(Filters.boxBlur3(lv.smooth, lv.w, lv.h, r), lv.w, lv.h, r);
            PatchMatchField field = new PatchMatchField(3, r, lv.img, lv.w, lv.h, lv.img, lv.w, lv.h, targets, valid,
                    guide, guide, GUIDE_WEIGHT * patchSize * patchSize);
            float[] weights = new float[lv.w * lv.h];
            long levelSeed = Seeds.mix(seed, l);
            if (coarser == null) {
                int[] proposals = OnionPeel.fill(lv.img, lv.hole, valid, lv.w, lv.h, r, levelSeed, cancel);
                field.initFrom(proposals, levelSeed);
            } else {
                field.upsample(coarser, levelSeed);
                field.vote(holePixels, false, null, cancel);
            }
            field.recomputeCosts(cancel);
            int em = emIterations(l, levels);
            for (int it = 0; it < em; it++) {
                field.search(PASSES, Seeds.mix(levelSeed, it + 1), cancel);
                field.vote(holePixels, true, weights, cancel);
                field.recomputeCosts(cancel);
                progress.onProgress(Progress.of(Phase.FILL, ++step, total));
            }
            coarser = field;
        }
        return Holes.withHoleFrom(src, h0, finest.img);
    }

    private static int emIterations(int level, int levels) {
        if (level == levels - 1) {
            return COARSEST_EM;
        }
        return level == 0 ? FINEST_EM : MIDDLE_EM;
    }

    /**
     * Halves until the hole is at most {@link #COARSE_DEPTH_IN_RADII} patch radii deep, while the level
     * still has room for patches and enough of them to copy from.
     */
    private List<Level> pyramid(Level finest, int r) {
        int depth = Morphology.maxDepth(finest.hole, finest.w, finest.h);
        List<Level> out = new ArrayList<>();
        out.add(finest);
        Level cur = finest;
        while ((depth >> (out.size() - 1)) > COARSE_DEPTH_IN_RADII * r) {
            Level next = cur.half();
            if (Math.min(next.w, next.h) < 4 * (2 * r + 1) || countSources(next, r, out.size()) < MIN_SOURCES) {
                break;
            }
            out.add(next);
            cur = next;
        }
        return out;
    }

    private boolean hasSources(Level lv, int r, int level) {
        boolean[] near = Morphology.dilate(lv.hole, lv.w, lv.h, r);
        for (boolean v : validSources(lv, near, r, level)) {
            if (v) {
                return true;
            }
        }
        return false;
    }

    private int countSources(Level lv, int r, int level) {
        boolean[] near = Morphology.dilate(lv.hole, lv.w, lv.h, r);
        int c = 0;
        for (boolean v : validSources(lv, near, r, level)) {
            if (v) {
                c++;
            }
        }
        return c;
    }

    /** Patches wholly inside the image and clear of the hole, within the band when band search is on. */
    private boolean[] validSources(Level lv, boolean[] near, int r, int level) {
        boolean[] valid = new boolean[lv.w * lv.h];
        int[] dist = null;
        int band = 0;
        if (bandSearch) {
            dist = Morphology.chebyshevDistance(lv.hole, lv.w, lv.h, true);
            // Never narrower than a couple of patches, or the coarse levels would have nothing to copy.
            band = Math.max(bandWidth >> level, 2 * (2 * r + 1));
        }
        for (int y = r; y < lv.h - r; y++) {
            for (int x = r; x < lv.w - r; x++) {
                int i = y * lv.w + x;
                valid[i] = !near[i] && (dist == null || dist[i] <= band + r);
            }
        }
        return valid;
    }

    private static int[] indicesOf(boolean[] set) {
        int c = 0;
        for (boolean v : set) {
            if (v) {
                c++;
            }
        }
        int[] out = new int[c];
        for (int i = 0, j = 0; i < set.length; i++) {
            if (set[i]) {
                out[j++] = i;
            }
        }
        return out;
    }
}
