package dev.pigment.core.classic;

import dev.pigment.core.api.CancellationToken;

/**
 * A first guess for the coarsest pyramid level: the hole is filled ring by ring from its edge inward,
 * each pixel taking the centre colour of the source patch that best matches the part of its own patch
 * already known or filled (the "onion peel" initialisation of Newson et al. 2014, after Criminisi et al.
 * 2004). Unlike a smooth start, this carries the phase of a texture from the hole's edge inward, so EM
 * refines a coherent texture instead of averaging out-of-phase proposals to grey.
 *
 * <p>Candidates per pixel: every source when affordable (small coarse levels), else a random sample,
 * plus the coherent continuation of each filled neighbour's match.
 */
final class OnionPeel {
    /** Patch comparisons allowed for the whole initialisation; keeps a huge thin hole cheap. */
    private static final long BUDGET = 2_000_000L;
    private static final int MIN_SAMPLES = 8;

    private OnionPeel() {
    }

    /**
     * Fills the hole pixels of the interleaved RGB {@code img} in place.
     *
     * @return per pixel the source chosen for it (hole pixels), else -1
     */
    static int[] fill(float[] img, boolean[] hole, boolean[] valid, int w, int h, int r, long seed,
                      CancellationToken cancel) {
        int n = w * h;
        int[] dist = Morphology.chebyshevDistance(hole, w, h, false);
        int holes = 0;
        int maxDist = 0;
        for (int i = 0; i < n; i++) {
            if (hole[i]) {
                holes++;
                maxDist = Math.max(maxDist, dist[i]);
            }
        }
        // Counting sort of the hole pixels by ring, scan order inside a ring.
        int[] start = new int[maxDist + 2];
        for (int i = 0; i < n; i++) {
            if (hole[i]) {
                start[dist[i] + 1]++;
            }
        }
        for (int d = 1; d < start.length; d++) {
            start[d] += start[d - 1];
        }
        int[] order = new int[holes];
        for (int i = 0; i < n; i++) {
            if (hole[i]) {
                order[start[dist[i]]++] = i;
            }
        }
        int sourceCount = 0;
        for (boolean v : valid) {
            if (v) {
                sourceCount++;
            }
        }
        int[] sources = new int[sourceCount];
        for (int i = 0, j = 0; i < n; i++) {
            if (valid[i]) {
                sources[j++] = i;
            }
        }
        boolean exhaustive = (long) sourceCount * holes <= BUDGET;
        int samples = exhaustive ? sourceCount
                : (int) Math.max(MIN_SAMPLES, Math.min(sourceCount, BUDGET / Math.max(1, holes)));
        boolean[] filled = new boolean[n];
        for (int i = 0; i < n; i++) {
            filled[i] = !hole[i];
        }
        int[] nnf = new int[n];
        java.util.Arrays.fill(nnf, -1);
        long rng = Seeds.mix(seed, 0x0411);
        for (int k = 0; k < holes; k++) {
            if (k % 256 == 0) {
                cancel.throwIfCancelled();
            }
            int q = order[k];
            int qx = q % w;
            int qy = q / w;
            int best = -1;
            float bestCost = Float.POSITIVE_INFINITY;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = qx + dx;
                    int ny = qy + dy;
                    if ((dx | dy) == 0 || nx < 0 || ny < 0 || nx >= w || ny >= h) {
                        continue;
                    }
                    int s = nnf[ny * w + nx];
                    if (s < 0) {
                        continue;
                    }
                    int cx = s % w - dx;
                    int cy = s / w - dy;
                    if (cx < r || cy < r || cx >= w - r || cy >= h - r) {
                        continue;
                    }
                    int cand = cy * w + cx;
                    if (cand != best && valid[cand]) {
                        float c = maskedCost(img, filled, w, h, r, qx, qy, cand, bestCost);
                        if (c < bestCost) {
                            best = cand;
                            bestCost = c;
                        }
                    }
                }
            }
            for (int t = 0; t < samples; t++) {
                int cand;
                if (exhaustive) {
                    cand = sources[t];
                } else {
                    rng = Seeds.next(rng);
                    cand = sources[Seeds.below(rng, sourceCount)];
                }
                float c = maskedCost(img, filled, w, h, r, qx, qy, cand, bestCost);
                if (c < bestCost) {
                    best = cand;
                    bestCost = c;
                }
            }
            img[3 * q] = img[3 * best];
            img[3 * q + 1] = img[3 * best + 1];
            img[3 * q + 2] = img[3 * best + 2];
            nnf[q] = best;
            filled[q] = true;
        }
        return nnf;
    }

    /** SSD over the pixels of the patch at (qx,qy) that are known or already filled; stops at {@code bound}. */
    private static float maskedCost(float[] img, boolean[] filled, int w, int h, int r, int qx, int qy, int s,
                                    float bound) {
        int sx = s % w;
        int sy = s / w;
        float sum = 0f;
        for (int dy = Math.max(-r, -qy); dy <= Math.min(r, h - 1 - qy); dy++) {
            int qrow = (qy + dy) * w;
            int srow = (sy + dy) * w;
            for (int dx = Math.max(-r, -qx); dx <= Math.min(r, w - 1 - qx); dx++) {
                int a = qrow + qx + dx;
                if (!filled[a]) {
                    continue;
                }
                int b = srow + sx + dx;
                float d0 = img[3 * a] - img[3 * b];
                float d1 = img[3 * a + 1] - img[3 * b + 1];
                float d2 = img[3 * a + 2] - img[3 * b + 2];
                sum += d0 * d0 + d1 * d1 + d2 * d2;
            }
            if (sum >= bound) {
                return sum;
            }
        }
        return sum;
    }
}
