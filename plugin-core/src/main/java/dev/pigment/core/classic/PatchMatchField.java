package dev.pigment.core.classic;

import dev.pigment.core.api.CancellationToken;
import java.util.Arrays;

/**
 * A PatchMatch nearest-neighbour field (Barnes et al. 2009): for every target pixel of a feature image A,
 * the centre of a similar (2r+1)x(2r+1) patch in a feature image B. Both images are interleaved
 * {@code k}-channel float arrays; the first three channels are the colour that {@link #vote} copies.
 *
 * <p>Target patches may stick out of A (holes at the border, outpainting): only their inside part is
 * compared. Source patches always lie wholly inside B and are marked usable by {@code validSource}.
 * For inpainting A and B are the same array: sources never overlap the hole, so voting into the hole
 * never changes a pixel that a source patch reads.
 *
 * <p>Determinism with parallelism: targets are split at row boundaries into a fixed number of bands;
 * even bands run together, then odd ones. A band only reads the field of the row just before (or after)
 * it, which belongs to a band of the other parity, so no value is read while another thread writes it.
 */
final class PatchMatchField {
    private static final int BANDS = 8;
    /** How often (in targets) the search loops look at the cancel flag: ~0.1 ms of work at 1 MP. */
    private static final int CANCEL_STRIDE = 64;

    private final int k;
    private final int r;
    private final int aw;
    private final int ah;
    private final int bw;
    private final int bh;
    private final float[] a;
    private final float[] b;
    private final boolean[] validSource;
    private final int[] sources;
    private final int[] targets;
    private final int[] bandStart;
    private final int[] nnf;
    private final float[] cost;
    private final int maxRadius;
    private final float[] guideA;
    private final float[] guideB;
    private final float guideWeight;
    /** How many of the eight {@link PatchTransforms} the search may use (1 = translation only). */
    private int transforms = 1;
    /** Per A pixel, the transform of its match. */
    private final byte[] xf;
    /** Per transform, the B index offset of each patch offset (dy, dx) in row-major order. */
    private int[][] offsets;

    PatchMatchField(int k, int r, float[] a, int aw, int ah, float[] b, int bw, int bh, int[] targets,
                    boolean[] validSource) {
        this(k, r, a, aw, ah, b, bw, bh, targets, validSource, null, null, 0f);
    }

    /**
     * @param targets     A pixel indices to match, sorted ascending
     * @param validSource per B pixel: may a patch centred there be copied (must lie inside B)
     * @param guideA      optional interleaved 3-channel guide of A, compared at the patch centres only
     * @param guideB      the same for B
     * @param guideWeight weight of the centre guide's squared difference against the patch SSD
     */
    PatchMatchField(int k, int r, float[] a, int aw, int ah, float[] b, int bw, int bh, int[] targets,
                    boolean[] validSource, float[] guideA, float[] guideB, float guideWeight) {
        this.guideA = guideA;
        this.guideB = guideB;
        this.guideWeight = guideWeight;
        this.k = k;
        this.r = r;
        this.a = a;
        this.aw = aw;
        this.ah = ah;
        this.b = b;
        this.bw = bw;
        this.bh = bh;
        this.targets = targets;
        this.validSource = validSource;
        int count = 0;
        for (boolean v : validSource) {
            if (v) {
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("no source patch");
        }
        sources = new int[count];
        for (int i = 0, j = 0; i < validSource.length; i++) {
            if (validSource[i]) {
                sources[j++] = i;
            }
        }
        bandStart = splitAtRows(targets, aw);
        nnf = new int[aw * ah];
        Arrays.fill(nnf, -1);
        xf = new byte[aw * ah];
        cost = new float[aw * ah];
        maxRadius = Math.max(bw, bh);
    }

    private static int[] splitAtRows(int[] targets, int aw) {
        int t = targets.length;
        int[] starts = new int[BANDS + 1];
        int nb = 0;
        for (int band = 1; band < BANDS; band++) {
            int idx = (int) ((long) t * band / BANDS);
            if (idx <= starts[nb]) {
                continue;
            }
            while (idx < t && targets[idx] / aw == targets[idx - 1] / aw) {
                idx++;
            }
            if (idx > starts[nb] && idx < t) {
                starts[++nb] = idx;
            }
        }
        starts[++nb] = t;
        return Arrays.copyOf(starts, nb + 1);
    }

    int[] nnf() {
        return nnf;
    }

    /**
     * Lets the search also try mirrored (2) or mirrored and 90-degree rotated (8) source patches, the
     * Generalized PatchMatch of Barnes et al. 2010 restricted to transforms that need no resampling.
     */
    void allowTransforms(int count) {
        if (count != 1 && count != 2 && count != PatchTransforms.COUNT) {
            throw new IllegalArgumentException("transforms " + count);
        }
        transforms = count;
        offsets = PatchTransforms.offsets(r, bw);
    }

    /** The B pixel that the A pixel at offset (dx, dy) from target p is matched to. */
    int sourceAt(int p, int dx, int dy) {
        int t = xf[p];
        if (t == 0) {
            return nnf[p] + dy * bw + dx;
        }
        return nnf[p] + PatchTransforms.dx(t, dx, dy) + PatchTransforms.dy(t, dx, dy) * bw;
    }

    /** The current match distance of target p (after a search or {@link #recomputeCosts}). */
    float costOf(int p) {
        return cost[p];
    }

    boolean[] validSources() {
        return validSource;
    }

    int sourceWidth() {
        return bw;
    }

    /** Every target gets a uniformly random source (the Barnes initialisation). */
    void randomize(long seed) {
        initFrom(null, seed);
    }

    /** Targets take their proposal (indexed by A pixel) where it is a usable source, else a random one. */
    void initFrom(int[] proposals, long seed) {
        Bands.run(bandStart.length - 1, band -> {
            long rng = Seeds.mix(seed, band);
            for (int ti = bandStart[band]; ti < bandStart[band + 1]; ti++) {
                int p = targets[ti];
                int s = proposals == null ? -1 : proposals[p];
                if (s < 0 || !validSource[s]) {
                    rng = Seeds.next(rng);
                    s = sources[Seeds.below(rng, sources.length)];
                }
                nnf[p] = s;
                xf[p] = 0;
            }
        });
    }

    /**
     * Initialises from the field of the level above (half the size): each offset is doubled, and the
     * pixel's parity picks which of the four children of the coarse source it maps to.
     */
    void upsample(PatchMatchField coarse, long seed) {
        Bands.run(bandStart.length - 1, band -> {
            long rng = Seeds.mix(seed, band);
            for (int ti = bandStart[band]; ti < bandStart[band + 1]; ti++) {
                int p = targets[ti];
                int x = p % aw;
                int y = p / aw;
                int cx = Math.min(x >> 1, coarse.aw - 1);
                int cy = Math.min(y >> 1, coarse.ah - 1);
                int cs = coarse.nnf[cy * coarse.aw + cx];
                int t = coarse.xf[cy * coarse.aw + cx];
                int s = -1;
                if (cs >= 0) {
                    int sx = clamp(2 * (cs % coarse.bw) + PatchTransforms.dx(t, x & 1, y & 1), r, bw - 1 - r);
                    int sy = clamp(2 * (cs / coarse.bw) + PatchTransforms.dy(t, x & 1, y & 1), r, bh - 1 - r);
                    int cand = sy * bw + sx;
                    if (validSource[cand]) {
                        s = cand;
                    }
                }
                if (s < 0) {
                    rng = Seeds.next(rng);
                    s = sources[Seeds.below(rng, sources.length)];
                    t = 0;
                }
                nnf[p] = s;
                xf[p] = (byte) (t < transforms ? t : 0);
            }
        });
    }

    /** Recomputes every target's patch distance, needed after A changed (voting) or after initialising. */
    void recomputeCosts(CancellationToken cancel) {
        Bands.run(bandStart.length - 1, band -> {
            for (int ti = bandStart[band]; ti < bandStart[band + 1]; ti++) {
                if (ti % CANCEL_STRIDE == 0 && cancel.isCancelled()) {
                    return;
                }
                int p = targets[ti];
                cost[p] = cost(p % aw, p / aw, nnf[p], xf[p], Float.POSITIVE_INFINITY);
            }
        });
        cancel.throwIfCancelled();
    }

    /** {@code passes} rounds of propagation + random search, alternating scan direction. */
    void search(int passes, long seed, CancellationToken cancel) {
        int bands = bandStart.length - 1;
        for (int pass = 0; pass < passes; pass++) {
            boolean forward = pass % 2 == 0;
            long passSeed = Seeds.mix(seed, pass);
            for (int parity = 0; parity < 2; parity++) {
                int first = parity;
                Bands.run((bands - first + 1) / 2, i -> searchBand(first + 2 * i, forward, passSeed, cancel));
                cancel.throwIfCancelled();
            }
        }
    }

    private void searchBand(int band, boolean forward, long seed, CancellationToken cancel) {
        long rng = Seeds.mix(seed, band);
        int from = bandStart[band];
        int to = bandStart[band + 1];
        int dir = forward ? 1 : -1;
        for (int step = 0, n = to - from; step < n; step++) {
            if (step % CANCEL_STRIDE == 0 && cancel.isCancelled()) {
                return;
            }
            int ti = forward ? from + step : to - 1 - step;
            int p = targets[ti];
            int px = p % aw;
            int py = p / aw;
            Best best = new Best(nnf[p], xf[p], cost[p]);
            // Propagation: the neighbour already visited in this scan direction, its match shifted by one
            // pixel (in the match's own frame when it is mirrored or rotated).
            if (px - dir >= 0 && px - dir < aw) {
                propagate(px, py, p - dir, dir, 0, best);
            }
            if (py - dir >= 0 && py - dir < ah) {
                propagate(px, py, p - dir * aw, 0, dir, best);
            }
            // Random search in windows of halving size around the current best (alpha = 1/2).
            int bx = best.s % bw;
            int by = best.s / bw;
            for (int rad = maxRadius; rad >= 1; rad >>= 1) {
                rng = Seeds.next(rng);
                int cx = clamp(bx + Seeds.below(rng, 2 * rad + 1) - rad, r, bw - 1 - r);
                rng = Seeds.next(rng);
                int cy = clamp(by + Seeds.below(rng, 2 * rad + 1) - rad, r, bh - 1 - r);
                int t = best.t;
                if (transforms > 1) {
                    rng = Seeds.next(rng);
                    t = (rng & 1) == 0 ? best.t : Seeds.below(rng, transforms);
                }
                best.consider(this, px, py, cy * bw + cx, t);
            }
            nnf[p] = best.s;
            xf[p] = (byte) best.t;
            cost[p] = best.cost;
        }
    }

    private void propagate(int px, int py, int neighbour, int dx, int dy, Best best) {
        int q = nnf[neighbour];
        if (q < 0) {
            return;
        }
        int t = xf[neighbour];
        int cx = q % bw + PatchTransforms.dx(t, dx, dy);
        int cy = q / bw + PatchTransforms.dy(t, dx, dy);
        if (cx >= r && cx <= bw - 1 - r && cy >= r && cy <= bh - 1 - r) {
            best.consider(this, px, py, cy * bw + cx, t);
        }
    }

    /** The running best match of one target during a search step. */
    private static final class Best {
        int s;
        int t;
        float cost;

        Best(int s, int t, float cost) {
            this.s = s;
            this.t = t;
            this.cost = cost;
        }

        void consider(PatchMatchField f, int px, int py, int cand, int ct) {
            if ((cand != s || ct != t) && f.validSource[cand]) {
                float c = f.cost(px, py, cand, ct, cost);
                if (c < cost) {
                    s = cand;
                    t = ct;
                    cost = c;
                }
            }
        }
    }

    /** {@link #patchCost} for a transformed source patch. */
    float cost(int px, int py, int s, int t, float bound) {
        return t == 0 ? patchCost(px, py, s, bound) : transformedCost(px, py, s, t, bound);
    }

    private float transformedCost(int px, int py, int s, int t, float bound) {
        int x0 = Math.max(-r, -px);
        int x1 = Math.min(r, aw - 1 - px);
        int y0 = Math.max(-r, -py);
        int y1 = Math.min(r, ah - 1 - py);
        int side = 2 * r + 1;
        int[] off = offsets[t];
        float sum = guideCost(px, py, s);
        for (int dy = y0; dy <= y1; dy++) {
            int row = (dy + r) * side + r;
            for (int dx = x0; dx <= x1; dx++) {
                int ai = ((py + dy) * aw + px + dx) * k;
                int bi = (s + off[row + dx]) * k;
                for (int c = 0; c < k; c++) {
                    float d = a[ai + c] - b[bi + c];
                    sum += d * d;
                }
            }
            if (sum >= bound) {
                return sum;
            }
        }
        return sum;
    }

    /** The weighted guide difference between the centres A (px,py) and B s; 0 without a guide. */
    private float guideCost(int px, int py, int s) {
        if (guideA == null) {
            return 0f;
        }
        int gp = 3 * (py * aw + px);
        int gs = 3 * s;
        float g0 = guideA[gp] - guideB[gs];
        float g1 = guideA[gp + 1] - guideB[gs + 1];
        float g2 = guideA[gp + 2] - guideB[gs + 2];
        return guideWeight * (g0 * g0 + g1 * g1 + g2 * g2);
    }

    /**
     * Sum of squared differences between the A patch at (px,py), clipped to A, and the B patch at s, plus
     * the weighted guide difference at the centres.
     * Stops early once the sum reaches {@code bound}: the caller only wants to know whether it is smaller.
     */
    float patchCost(int px, int py, int s, float bound) {
        int sx = s % bw;
        int sy = s / bw;
        int x0 = Math.max(-r, -px);
        int x1 = Math.min(r, aw - 1 - px);
        int y0 = Math.max(-r, -py);
        int y1 = Math.min(r, ah - 1 - py);
        int len = (x1 - x0 + 1) * k;
        float[] a = this.a;
        float[] b = this.b;
        float sum = guideCost(px, py, s);
        for (int dy = y0; dy <= y1; dy++) {
            int ai = ((py + dy) * aw + px + x0) * k;
            int bi = ((sy + dy) * bw + sx + x0) * k;
            float s0 = 0f;
            float s1 = 0f;
            int j = 0;
            for (; j + 1 < len; j += 2) {
                float d0 = a[ai + j] - b[bi + j];
                float d1 = a[ai + j + 1] - b[bi + j + 1];
                s0 += d0 * d0;
                s1 += d1 * d1;
            }
            if (j < len) {
                float d0 = a[ai + j] - b[bi + j];
                s0 += d0 * d0;
            }
            sum += s0 + s1;
            if (sum >= bound) {
                return sum;
            }
        }
        return sum;
    }

    /** Number of A pixels the patch at (px,py) covers after clipping, times the channel count. */
    private int patchValues(int px, int py) {
        int x0 = Math.max(-r, -px);
        int x1 = Math.min(r, aw - 1 - px);
        int y0 = Math.max(-r, -py);
        int y1 = Math.min(r, ah - 1 - py);
        return (x1 - x0 + 1) * (y1 - y0 + 1) * k;
    }

    /**
     * Expectation-maximisation "voting" (Wexler et al. 2007): each pixel in {@code pixels} becomes the
     * average of the colours that all overlapping target patches' matches propose for it. With
     * {@code weighted}, a patch counts exp(-d / 2 sigma^2), d its mean squared distance and sigma^2 the
     * 75th percentile of d (Wexler's choice); otherwise all count the same (used right after upsampling,
     * before distances mean anything). Writes the first three channels of A.
     */
    void vote(int[] pixels, boolean weighted, float[] weightScratch, CancellationToken cancel) {
        vote(pixels, weighted ? 0.75f : -1f, weightScratch, cancel);
    }

    /**
     * Voting with the weights' sigma^2 at the given percentile (0..1) of the patch distances, or
     * unweighted when it is negative. A low percentile lets the best-matching patch of each overlap
     * dominate, which keeps texture sharp where Wexler's 75th percentile averages it away.
     */
    void vote(int[] pixels, float percentile, float[] weightScratch, CancellationToken cancel) {
        float[] w = percentile >= 0f ? weights(weightScratch, percentile) : null;
        int[] split = Bands.split(pixels.length, 16);
        Bands.run(split.length - 1, band -> {
            float[] a = this.a;
            float[] b = this.b;
            for (int i = split[band]; i < split[band + 1]; i++) {
                if (i % CANCEL_STRIDE == 0 && cancel.isCancelled()) {
                    return;
                }
                int q = pixels[i];
                int qx = q % aw;
                int qy = q / aw;
                float r0 = 0f;
                float g0 = 0f;
                float b0 = 0f;
                float sw = 0f;
                for (int dy = -r; dy <= r; dy++) {
                    int py = qy - dy;
                    if (py < 0 || py >= ah) {
                        continue;
                    }
                    for (int dx = -r; dx <= r; dx++) {
                        int px = qx - dx;
                        if (px < 0 || px >= aw) {
                            continue;
                        }
                        int p = py * aw + px;
                        int s = nnf[p];
                        if (s < 0) {
                            continue;
                        }
                        float wt = w == null ? 1f : w[p];
                        int t = xf[p];
                        int bi = (t == 0 ? s + dy * bw + dx : s + offsets[t][(dy + r) * (2 * r + 1) + dx + r]) * k;
                        r0 += wt * b[bi];
                        g0 += wt * b[bi + 1];
                        b0 += wt * b[bi + 2];
                        sw += wt;
                    }
                }
                if (sw > 0f) {
                    int ai = q * k;
                    a[ai] = r0 / sw;
                    a[ai + 1] = g0 / sw;
                    a[ai + 2] = b0 / sw;
                }
            }
        });
        cancel.throwIfCancelled();
    }

    /** Each pixel takes the centre colour of its own patch's match: no averaging, so no blur. */
    void copyBest(int[] pixels) {
        for (int q : pixels) {
            int s = nnf[q];
            if (s >= 0) {
                System.arraycopy(b, s * k, a, q * k, 3);
            }
        }
    }

    private float[] weights(float[] scratch, float percentile) {
        float[] w = scratch != null && scratch.length >= aw * ah ? scratch : new float[aw * ah];
        int t = targets.length;
        int samples = Math.min(t, 4096);
        float[] sample = new float[samples];
        for (int i = 0; i < samples; i++) {
            int p = targets[(int) ((long) i * t / samples)];
            sample[i] = cost[p] / patchValues(p % aw, p / aw);
        }
        Arrays.sort(sample);
        float sigma2 = Math.max(1e-6f, sample[(int) (percentile * (samples - 1))]);
        float inv = -1f / (2f * sigma2);
        int[] split = Bands.split(t, 8);
        Bands.run(split.length - 1, band -> {
            for (int i = split[band]; i < split[band + 1]; i++) {
                int p = targets[i];
                float d = cost[p] / patchValues(p % aw, p / aw);
                // Floor keeps a pixel whose every patch matched badly from dividing by ~0.
                w[p] = Math.max(1e-6f, (float) Math.exp(d * inv));
            }
        });
        return w;
    }

    static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
