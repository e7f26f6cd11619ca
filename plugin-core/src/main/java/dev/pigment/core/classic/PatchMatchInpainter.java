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
 * <p>Measured with bench/classic/inpaint_benchmark.py against GIMP Resynthesizer's heal (texture distance
 * to the surrounding ring, radial streak score; docs/benchmarks.md), the defaults are: 5x5 patches; a
 * search band of 80 pixels around the hole (texture distance 0.257; 30 px: 0.386, 50 px (GIMP's corpus
 * width): 0.294, 100 px: 0.258, 150 px: 0.261, whole image: 0.272); votes weighted by a low (25th)
 * percentile of the patch distances so the best match dominates; at full resolution every hole pixel finally copies the
 * centre of its own patch's match (no averaging, no blur), and a {@link PoissonBlend} of that copy into
 * the surroundings removes the seams a pure copy leaves. A smooth (Telea) colour guide, which the
 * previous version compared at the patch centres, caused radial wedges and is off by default.
 *
 * <p>An optional avoid area: patches that overlap it are never copied (the object's shadow, a second
 * copy of the object). Deterministic for a given seed, whatever the core count.
 */
public final class PatchMatchInpainter implements HoleFiller {
    public static final int DEFAULT_PATCH_SIZE = Settings.DEFAULTS.patchSize();
    public static final int DEFAULT_BAND_WIDTH = Settings.DEFAULTS.bandWidth();
    /**
     * Patch transforms the search may use: {@code none} (translation), {@code mirror} (also mirrored),
     * {@code rotate} (also quarter turns, mirrored or not).
     */
    public static final List<String> TRANSFORMS = List.of("none", "mirror", "rotate");
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
    private static final int BLEND_ITERATIONS = 400;
    private static final int COARSE_EXTRA_RADIUS = 1;

    /**
     * How the fill is made. {@code guideWeight}: weight of a smooth Telea fill compared at the patch
     * centres, per patch pixel (0 = off). {@code votePercentile}: percentile of the patch distances used
     * as the vote weights' sigma^2. {@code finalCopy}: full-resolution pixels copy their best match
     * instead of the vote. {@code blend}: Poisson blend of the result (needs finalCopy). {@code transforms}:
     * which patch transforms the search may use, 1 (translation only), 2 (also mirrored) or 8 (also
     * rotated by quarter turns), see {@link #TRANSFORMS}.
     */
    public record Settings(int patchSize, boolean bandSearch, int bandWidth, float guideWeight,
                           float votePercentile, boolean finalCopy, boolean blend, int transforms) {
        public static final Settings DEFAULTS = new Settings(5, true, 80, 0f, 0.25f, true, true, 1);

        public Settings {
            if (patchSize < 3 || patchSize > 31 || patchSize % 2 == 0) {
                throw PigmentException.badRequest("patch-size=" + patchSize
                        + " is not usable: use an odd number from 3 to 31 (default 5).");
            }
            if (bandWidth < 1) {
                throw PigmentException.badRequest("band-width=" + bandWidth
                        + " is not usable: use a positive number of pixels (default 80).");
            }
            if (!(guideWeight >= 0f) || !(votePercentile >= 0f && votePercentile <= 1f)
                    || (transforms != 1 && transforms != 2 && transforms != PatchTransforms.COUNT)) {
                throw new IllegalArgumentException("guideWeight " + guideWeight + ", votePercentile " + votePercentile
                        + ", transforms " + transforms);
            }
        }

        public Settings withPatchSize(int v) {
            return new Settings(v, bandSearch, bandWidth, guideWeight, votePercentile, finalCopy, blend, transforms);
        }

        public Settings withSearch(boolean band, int width) {
            return new Settings(patchSize, band, width, guideWeight, votePercentile, finalCopy, blend, transforms);
        }

        public Settings withBlend(boolean v) {
            return new Settings(patchSize, bandSearch, bandWidth, guideWeight, votePercentile, finalCopy, v, transforms);
        }

        /** @param name one of {@link #TRANSFORMS} */
        public Settings withTransforms(String name) {
            int t = TRANSFORMS.indexOf(name);
            if (t < 0) {
                throw PigmentException.badRequest("transforms=" + name + " is not known: use one of "
                        + String.join(", ", TRANSFORMS) + " (default none).");
            }
            return new Settings(patchSize, bandSearch, bandWidth, guideWeight, votePercentile, finalCopy, blend,
                    new int[] {1, 2, PatchTransforms.COUNT}[t]);
        }

        /** The name of {@link #transforms} in {@link #TRANSFORMS}. */
        public String transformsName() {
            return transforms == 1 ? "none" : transforms == 2 ? "mirror" : "rotate";
        }
    }

    private final Settings settings;
    private final AvoidArea avoid;
    private final long seed;

    /**
     * @param settings how to fill
     * @param avoid    areas never copied from ({@link AvoidArea#NONE} for none)
     * @param seed     random seed (non-negative)
     */
    public PatchMatchInpainter(Settings settings, AvoidArea avoid, long seed) {
        if (seed < 0) {
            throw PigmentException.badRequest("seed=" + seed + " is negative: pass the seed the engine resolved.");
        }
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.avoid = java.util.Objects.requireNonNull(avoid, "avoid");
        this.seed = seed;
    }

    /**
     * @param patchSize  odd patch side, 3..31
     * @param bandSearch search only within {@code bandWidth} pixels of the hole instead of the whole image
     * @param bandWidth  width of that band in pixels (at full resolution), 1..MAX_SIDE
     * @param seed       random seed (non-negative)
     */
    public PatchMatchInpainter(int patchSize, boolean bandSearch, int bandWidth, long seed) {
        this(Settings.DEFAULTS.withPatchSize(patchSize).withSearch(bandSearch, bandWidth), AvoidArea.NONE, seed);
    }

    /** Defaults (see {@link Settings#DEFAULTS}). */
    public PatchMatchInpainter(long seed) {
        this(Settings.DEFAULTS, AvoidArea.NONE, seed);
    }

    @Override
    public String mode() {
        return "patchmatch";
    }

    public Settings settings() {
        return settings;
    }

    public int patchSize() {
        return settings.patchSize();
    }

    public boolean bandSearch() {
        return settings.bandSearch();
    }

    public int bandWidth() {
        return settings.bandWidth();
    }

    public AvoidArea avoid() {
        return avoid;
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
        /** Pixels no source patch may overlap. */
        final boolean[] avoid;
        /** A smooth (Telea) fill of the hole, the same as img outside it: the low-frequency guide, or null. */
        final float[] smooth;

        Level(int w, int h, float[] img, boolean[] hole, boolean[] avoid, float[] smooth) {
            this.w = w;
            this.h = h;
            this.img = img;
            this.hole = hole;
            this.avoid = avoid;
            this.smooth = smooth;
        }

        Level half() {
            int cw = (w + 1) / 2;
            int ch = (h + 1) / 2;
            // A coarse pixel is in the hole (or avoided) if any child is: no hole colour leaks up.
            return new Level(cw, ch, halfImage(img), halfAny(hole), halfAny(avoid),
                    smooth == null ? null : halfImage(smooth));
        }

        private float[] halfImage(float[] src) {
            int cw = (w + 1) / 2;
            int ch = (h + 1) / 2;
            float[] out = new float[3 * cw * ch];
            for (int y = 0; y < ch; y++) {
                for (int x = 0; x < cw; x++) {
                    float r = 0f;
                    float g = 0f;
                    float b = 0f;
                    int cnt = 0;
                    for (int yy = 2 * y; yy < Math.min(h, 2 * y + 2); yy++) {
                        for (int xx = 2 * x; xx < Math.min(w, 2 * x + 2); xx++) {
                            int f = 3 * (yy * w + xx);
                            r += src[f];
                            g += src[f + 1];
                            b += src[f + 2];
                            cnt++;
                        }
                    }
                    int o = 3 * (y * cw + x);
                    out[o] = r / cnt;
                    out[o + 1] = g / cnt;
                    out[o + 2] = b / cnt;
                }
            }
            return out;
        }

        private boolean[] halfAny(boolean[] src) {
            int cw = (w + 1) / 2;
            int ch = (h + 1) / 2;
            boolean[] out = new boolean[cw * ch];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (src[y * w + x]) {
                        out[(y >> 1) * cw + (x >> 1)] = true;
                    }
                }
            }
            return out;
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
        int r = settings.patchSize() / 2;
        float[] smooth = settings.guideWeight() > 0f
                ? Holes.interleave(new TeleaInpainter().fill(src, hole, cancel).data(), n) : null;
        Level finest = new Level(w, h, Holes.interleave(src.data(), n), h0, avoid.pixels(w, h), smooth);
        cancel.throwIfCancelled();
        if (!hasSources(finest, r, 0)) {
            if (!settings.bandSearch()) {
                throw noSources();
            }
            // The band is only a speed/locality preference: a hole whose band has nothing usable searches
            // the whole image instead of failing.
            return new PatchMatchInpainter(settings.withSearch(false, settings.bandWidth()), avoid, seed)
                    .fill(src, hole, progress, cancel);
        }
        cancel.throwIfCancelled();
        List<Level> pyramid = pyramid(finest, r, cancel);
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
            PatchMatchField field = levelField(lv, r, l);
            cancel.throwIfCancelled();
            int[] holePixels = indicesOf(lv.hole);
            long levelSeed = Seeds.mix(seed, l);
            if (coarser == null) {
                int[] proposals = onionPeel(lv, r, l, levelSeed, cancel);
                field.initFrom(proposals, levelSeed);
            } else {
                field.upsample(coarser, levelSeed);
                field.vote(holePixels, -1f, null, cancel);
            }
            field.recomputeCosts(cancel);
            float[] weights = new float[lv.w * lv.h];
            for (int it = 0, em = emIterations(l, levels); it < em; it++) {
                field.search(PASSES, Seeds.mix(levelSeed, it + 1), cancel);
                field.vote(holePixels, settings.votePercentile(), weights, cancel);
                field.recomputeCosts(cancel);
                progress.onProgress(Progress.of(Phase.FILL, ++step, total));
            }
            if (l == 0 && settings.finalCopy()) {
                finish(field, lv, holePixels, cancel);
            }
            coarser = field;
        }
        return Holes.withHoleFrom(src, h0, finest.img);
    }

    /** Full resolution: copy each pixel from its best match, then blend the copy in (see the class notes). */
    private void finish(PatchMatchField field, Level lv, int[] holePixels, CancellationToken cancel) {
        field.search(PASSES, Seeds.mix(seed, 0x5EA3), cancel);
        field.copyBest(holePixels);
        if (settings.blend()) {
            // Avoided pixels next to the hole do not pull the fill's colour towards them either.
            PoissonBlend.blend(lv.img, lv.hole, avoid.isEmpty() ? null : lv.avoid, field::sourceAt, lv.w, lv.h,
                    BLEND_ITERATIONS, cancel);
        }
    }

    /**
     * The coarsest level's first fill, with patches one pixel wider than the search's: the wider context
     * decides which side of a straight edge a pixel belongs to (a two-tone edge at slope 0.3 came out 18 px
     * off with 5x5, within 1 px with 7x7), while the search keeps 5x5 for texture.
     */
    private int[] onionPeel(Level lv, int r, int l, long levelSeed, CancellationToken cancel) {
        int ri = r + COARSE_EXTRA_RADIUS;
        boolean[] valid = validSources(lv, Morphology.dilate(lv.hole, lv.w, lv.h, ri), ri, l);
        if (!any(valid)) {
            valid = validSources(lv, Morphology.dilate(lv.hole, lv.w, lv.h, r), r, l);
            ri = r;
        }
        return OnionPeel.fill(lv.img, lv.hole, valid, lv.w, lv.h, ri, levelSeed, cancel);
    }

    private static boolean any(boolean[] v) {
        for (boolean b : v) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    private PatchMatchField levelField(Level lv, int r, int l) {
        boolean[] near = Morphology.dilate(lv.hole, lv.w, lv.h, r);
        boolean[] valid = validSources(lv, near, r, l);
        PatchMatchField field;
        if (lv.smooth == null) {
            field = new PatchMatchField(3, r, lv.img, lv.w, lv.h, lv.img, lv.w, lv.h, indicesOf(near), valid);
        } else {
            float[] guide = Filters.boxBlur3(Filters.boxBlur3(lv.smooth, lv.w, lv.h, r), lv.w, lv.h, r);
            int area = settings.patchSize() * settings.patchSize();
            field = new PatchMatchField(3, r, lv.img, lv.w, lv.h, lv.img, lv.w, lv.h, indicesOf(near), valid,
                    guide, guide, settings.guideWeight() * area);
        }
        if (settings.transforms() > 1) {
            field.allowTransforms(settings.transforms());
        }
        return field;
    }

    private PigmentException noSources() {
        int p = settings.patchSize();
        return PigmentException.badRequest("No " + p + "x" + p
                + " area outside the mask" + (avoid.isEmpty() ? "" : " and the avoid area")
                + " is left to copy from"
                + ": shrink the mask" + (avoid.isEmpty() ? "" : " or the avoid area")
                + ", use a smaller patch-size, or fill=telea.");
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
    private List<Level> pyramid(Level finest, int r, CancellationToken cancel) {
        int depth = Morphology.maxDepth(finest.hole, finest.w, finest.h);
        List<Level> out = new ArrayList<>();
        out.add(finest);
        Level cur = finest;
        while ((depth >> (out.size() - 1)) > COARSE_DEPTH_IN_RADII * r) {
            cancel.throwIfCancelled();
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
        return countSources(lv, r, level) > 0;
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

    /**
     * Patches wholly inside the image, clear of the hole and of the avoid area, within the band when band
     * search is on.
     */
    private boolean[] validSources(Level lv, boolean[] near, int r, int level) {
        boolean[] valid = new boolean[lv.w * lv.h];
        boolean[] avoided = avoid.isEmpty() ? null : Morphology.dilate(lv.avoid, lv.w, lv.h, r);
        int[] dist = null;
        int band = 0;
        if (settings.bandSearch()) {
            dist = Morphology.chebyshevDistance(lv.hole, lv.w, lv.h, true);
            // Never narrower than a couple of patches, or the coarse levels would have nothing to copy.
            band = Math.max(settings.bandWidth() >> level, 2 * (2 * r + 1));
        }
        for (int y = r; y < lv.h - r; y++) {
            for (int x = r; x < lv.w - r; x++) {
                int i = y * lv.w + x;
                valid[i] = !near[i] && (avoided == null || !avoided[i]) && (dist == null || dist[i] <= band + r);
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
