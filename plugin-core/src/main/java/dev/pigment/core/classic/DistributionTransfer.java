package dev.pigment.core.classic;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.image.RgbImage;
import java.util.Objects;

/**
 * Full colour-distribution transfer: Pitié, Kokaram and Dahyot (2005), "N-dimensional probability density
 * function transfer and its application to colour transfer" (iterative distribution transfer, IDT), which
 * is iterative sliced optimal transport. Each iteration picks a random orthonormal basis of the 3-D colour
 * space, matches the content's 1-D marginal along each axis to the reference's by histogram
 * specification, and moves the pixels by those displacements. Unlike {@link ReinhardTransfer} it also
 * matches skew, multiple modes and colour correlations. Random bases come from the seed, so the result is
 * deterministic.
 */
public final class DistributionTransfer implements StyleTransfer {
    public static final int DEFAULT_ITERATIONS = 20;
    /** Histogram bins per 1-D match, Pitié's choice. */
    private static final int BINS = 300;
    /** Reference pixels used for its histograms; a strided subsample beyond this changes nothing visible. */
    private static final int MAX_REFERENCE_SAMPLES = 1 << 18;

    private final ColorSpaces.Space space;
    private final boolean preserveLuminance;
    private final int iterations;
    private final long seed;

    public DistributionTransfer(ColorSpaces.Space space, boolean preserveLuminance, int iterations, long seed) {
        this.space = Objects.requireNonNull(space, "space");
        if (iterations < 1 || iterations > 200) {
            throw PigmentException.badRequest("iterations=" + iterations
                    + " is out of range for method=distribution: use 1..200 (default " + DEFAULT_ITERATIONS + ").");
        }
        this.preserveLuminance = preserveLuminance;
        this.iterations = iterations;
        this.seed = seed;
    }

    @Override
    public String method() {
        return "distribution";
    }

    @Override
    public RgbImage transfer(RgbImage content, RgbImage reference, double strength, ProgressListener progress,
                             CancellationToken cancel) {
        StyleStrength.check(strength);
        int n = content.pixelCount();
        float[] original = space.fromRgb(content.data(), n);
        float[] c = original.clone();
        int refN = reference.pixelCount();
        float[] refAll = space.fromRgb(reference.data(), refN);
        int stride = Math.max(1, (refN + MAX_REFERENCE_SAMPLES - 1) / MAX_REFERENCE_SAMPLES);
        int m = (refN + stride - 1) / stride;
        float[] ref = new float[3 * m];
        for (int ch = 0; ch < 3; ch++) {
            for (int i = 0, j = 0; i < refN; i += stride, j++) {
                ref[ch * m + j] = refAll[ch * refN + i];
            }
        }
        float[] projC = new float[n];
        float[] projR = new float[m];
        float[] map = new float[BINS];
        double[][] basis = new double[3][3];
        long rng = Seeds.mix(seed, 0x1D7);
        for (int it = 0; it < iterations; it++) {
            cancel.throwIfCancelled();
            rng = randomBasis(rng, basis);
            for (int axis = 0; axis < 3; axis++) {
                double[] e = basis[axis];
                project(c, n, e, projC);
                project(ref, m, e, projR);
                float lo = Math.min(min(projC, n), min(projR, m));
                float hi = Math.max(max(projC, n), max(projR, m));
                if (hi - lo < 1e-6f) {
                    continue;
                }
                matchMap(projC, n, projR, m, lo, hi, map);
                float scale = BINS / (hi - lo);
                for (int i = 0; i < n; i++) {
                    float t = (projC[i] - lo) * scale - 0.5f;
                    int b0 = Math.max(0, Math.min(BINS - 1, (int) Math.floor(t)));
                    int b1 = Math.min(BINS - 1, b0 + 1);
                    float f = Math.max(0f, Math.min(1f, t - b0));
                    float d = map[b0] + f * (map[b1] - map[b0]) - projC[i];
                    c[i] += (float) (d * e[0]);
                    c[n + i] += (float) (d * e[1]);
                    c[2 * n + i] += (float) (d * e[2]);
                }
            }
            progress.onProgress(Progress.of(Phase.RESTYLE, it + 1, iterations));
        }
        float s = (float) strength;
        for (int ch = 0; ch < 3; ch++) {
            int off = ch * n;
            boolean keep = preserveLuminance && ch == 0;
            for (int i = 0; i < n; i++) {
                float v = original[off + i];
                c[off + i] = keep ? v : v + s * (c[off + i] - v);
            }
        }
        return RgbImage.wrap(content.width(), content.height(), space.toRgb(c, n));
    }

    /** A uniformly random rotation: Gram-Schmidt on three Gaussian vectors. Returns the advanced stream. */
    private static long randomBasis(long rng, double[][] basis) {
        while (true) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    rng = Seeds.next(rng);
                    double u1 = Math.max(1e-12, Seeds.unit(rng));
                    rng = Seeds.next(rng);
                    double u2 = Seeds.unit(rng);
                    basis[i][j] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
                }
            }
            boolean ok = true;
            for (int i = 0; i < 3 && ok; i++) {
                for (int k = 0; k < i; k++) {
                    double dot = basis[i][0] * basis[k][0] + basis[i][1] * basis[k][1] + basis[i][2] * basis[k][2];
                    for (int j = 0; j < 3; j++) {
                        basis[i][j] -= dot * basis[k][j];
                    }
                }
                double norm = Math.sqrt(basis[i][0] * basis[i][0] + basis[i][1] * basis[i][1] + basis[i][2] * basis[i][2]);
                if (norm < 1e-6) {
                    ok = false;
                } else {
                    for (int j = 0; j < 3; j++) {
                        basis[i][j] /= norm;
                    }
                }
            }
            if (ok) {
                return rng;
            }
        }
    }

    private static void project(float[] planar, int n, double[] e, float[] out) {
        float e0 = (float) e[0];
        float e1 = (float) e[1];
        float e2 = (float) e[2];
        for (int i = 0; i < n; i++) {
            out[i] = e0 * planar[i] + e1 * planar[n + i] + e2 * planar[2 * n + i];
        }
    }

    /**
     * Histogram specification: for each content bin centre, the reference value at the same cumulative
     * frequency (inverse of the reference CDF, linearly interpolated).
     */
    private static void matchMap(float[] pc, int n, float[] pr, int m, float lo, float hi, float[] map) {
        double[] cdfC = cdf(pc, n, lo, hi);
        double[] cdfR = cdf(pr, m, lo, hi);
        double width = (hi - lo) / (double) BINS;
        int j = 0;
        for (int b = 0; b < BINS; b++) {
            // Centre of bin b sits at cumulative frequency halfway through the bin.
            double u = b == 0 ? cdfC[0] * 0.5 : 0.5 * (cdfC[b - 1] + cdfC[b]);
            while (j < BINS - 1 && cdfR[j] < u) {
                j++;
            }
            double prev = j == 0 ? 0 : cdfR[j - 1];
            double span = cdfR[j] - prev;
            double f = span > 0 ? (u - prev) / span : 0.5;
            map[b] = (float) (lo + (j + Math.max(0, Math.min(1, f))) * width);
        }
    }

    private static double[] cdf(float[] v, int n, float lo, float hi) {
        double[] h = new double[BINS];
        float scale = BINS / (hi - lo);
        for (int i = 0; i < n; i++) {
            int b = (int) ((v[i] - lo) * scale);
            h[b < 0 ? 0 : Math.min(b, BINS - 1)]++;
        }
        double acc = 0;
        for (int b = 0; b < BINS; b++) {
            acc += h[b];
            h[b] = acc / n;
        }
        return h;
    }

    private static float min(float[] v, int n) {
        float m = Float.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.min(m, v[i]);
        }
        return m;
    }

    private static float max(float[] v, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, v[i]);
        }
        return m;
    }
}
