package dev.pigment.core.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.CancelledException;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The promises of the default PatchMatch fill: no seam, straight edges continued, avoid area, cancel. */
class PatchMatchInpainterTest {

    /** Noise texture under a strong left-to-right light ramp: patches copied from either side mismatch. */
    private static RgbImage litTexture(int w, int h, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = w * h;
        float[] d = new float[3 * n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float light = 0.15f + 0.7f * x / (w - 1);
                for (int c = 0; c < 3; c++) {
                    float v = light * (0.8f + 0.4f * (float) rnd.nextDouble()) * (c == 2 ? 0.8f : 1f);
                    d[c * n + y * w + x] = Math.min(1f, v);
                }
            }
        }
        return RgbImage.wrap(w, h, d);
    }

    private static float luma(RgbImage img, int x, int y) {
        return 0.299f * img.get(0, x, y) + 0.587f * img.get(1, x, y) + 0.114f * img.get(2, x, y);
    }

    /** Mean |luma step| over 4-neighbour pairs with exactly one pixel in {@code a} and the other in {@code b}. */
    private static double meanStep(RgbImage img, boolean[] a, boolean[] b) {
        int w = img.width();
        int h = img.height();
        double sum = 0;
        int count = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int[][] nb = {{x + 1, y}, {x, y + 1}};
                for (int[] q : nb) {
                    if (q[0] >= w || q[1] >= h) {
                        continue;
                    }
                    int j = q[1] * w + q[0];
                    if ((a[i] && b[j]) || (b[i] && a[j])) {
                        sum += Math.abs(luma(img, x, y) - luma(img, q[0], q[1]));
                        count++;
                    }
                }
            }
        }
        return sum / count;
    }

    /** Pixels at Chebyshev distance lo..hi outside the rectangle x,y,w,h. */
    private static boolean[] ringAround(int w, int h, int[] r, int lo, int hi) {
        boolean[] out = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx = Math.max(r[0] - x, x - (r[0] + r[2] - 1));
                int dy = Math.max(r[1] - y, y - (r[1] + r[3] - 1));
                int d = Math.max(dx, dy);
                out[y * w + x] = d >= lo && d <= hi;
            }
        }
        return out;
    }

    private static double seamRatio(RgbImage out, int[] rect) {
        int w = out.width();
        int h = out.height();
        boolean[] hole = ringAround(w, h, rect, Integer.MIN_VALUE, 0);
        boolean[] border = ringAround(w, h, rect, 1, 1);
        boolean[] ringA = ringAround(w, h, rect, 3, 3);
        boolean[] ringB = ringAround(w, h, rect, 4, 4);
        return meanStep(out, hole, border) / meanStep(out, ringA, ringB);
    }

    @Test
    void noVisibleSeamAtTheHolesBorder() {
        int[] rect = {44, 40, 40, 44};
        RgbImage truth = litTexture(128, 128, 11);
        Mask mask = TestImages.rects(128, 128, rect);
        RgbImage src = TestImages.poisoned(truth, mask);
        RgbImage out = new PatchMatchInpainter(3).fill(src, mask, CancellationToken.none());
        double blended = seamRatio(out, rect);
        assertTrue(blended <= 1.0, "mean step across the border / across a known ring = " + blended);
        // The same fill without the gradient-domain blend shows the seam this test is about.
        PatchMatchInpainter.Settings raw = PatchMatchInpainter.Settings.DEFAULTS.withBlend(false);
        double copied = seamRatio(new PatchMatchInpainter(raw, AvoidArea.NONE, 3).fill(src, mask,
                CancellationToken.none()), rect);
        assertTrue(copied > blended, "without blend " + copied + ", with " + blended);
    }

    /** Two tones split by the line y = y0 + slope * x; hole across it; the edge must continue within 1 px. */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.3, -0.6})
    void straightEdgesContinueThroughTheHole(double slope) {
        int w = 112;
        int h = 112;
        double y0 = 56.5 - slope * w / 2;
        float[] d = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean below = y > y0 + slope * x;
                for (int c = 0; c < 3; c++) {
                    d[c * w * h + y * w + x] = below ? 0.8f - 0.1f * c : 0.2f + 0.05f * c;
                }
            }
        }
        RgbImage truth = RgbImage.wrap(w, h, d);
        int[] rect = {36, 36, 40, 40};
        Mask mask = TestImages.rects(w, h, rect);
        RgbImage out = new PatchMatchInpainter(5).fill(TestImages.poisoned(truth, mask), mask, CancellationToken.none());
        for (int x = rect[0]; x < rect[0] + rect[2]; x++) {
            int expected = -1;
            int found = -1;
            for (int y = 0; y < h && (expected < 0 || found < 0); y++) {
                if (expected < 0 && truth.get(0, x, y) > 0.5f) {
                    expected = y;
                }
                if (found < 0 && out.get(0, x, y) > 0.5f) {
                    found = y;
                }
            }
            assertTrue(Math.abs(found - expected) <= 1, "slope " + slope + ", column " + x + ": edge at row "
                    + found + ", expected " + expected);
        }
    }

    /** Grey stripes with a red patch right of the hole: without avoid some red is copied in, with it none. */
    @Test
    void avoidAreaIsNeverCopiedFrom() {
        int w = 120;
        int h = 96;
        RgbImage stripes = TestImages.stripes(w, h, 8);
        float[] d = stripes.data().clone();
        int n = w * h;
        for (int i = 0; i < n; i++) {
            float g = (d[i] + d[n + i]) / 2;
            d[i] = g;
            d[n + i] = g;
            d[2 * n + i] = g;
        }
        int[] red = {70, 20, 24, 56};
        for (int y = red[1]; y < red[1] + red[3]; y++) {
            for (int x = red[0]; x < red[0] + red[2]; x++) {
                d[y * w + x] = 0.9f;
                d[n + y * w + x] = 0.1f;
                d[2 * n + y * w + x] = 0.1f;
            }
        }
        RgbImage truth = RgbImage.wrap(w, h, d);
        Mask mask = TestImages.rects(w, h, new int[] {40, 24, 30, 48});
        RgbImage src = TestImages.poisoned(truth, mask);
        AvoidArea avoid = AvoidArea.parse("70,20,24,56");
        RgbImage without = new PatchMatchInpainter(PatchMatchInpainter.Settings.DEFAULTS, AvoidArea.NONE, 1)
                .fill(src, mask, CancellationToken.none());
        RgbImage with = new PatchMatchInpainter(PatchMatchInpainter.Settings.DEFAULTS, avoid, 1)
                .fill(src, mask, CancellationToken.none());
        assertTrue(reddish(without, mask) > 0, "the test needs a fill that copies red when allowed to");
        assertEquals(0, reddish(with, mask), "pixels copied from the avoided red area");

        // The same through the engine's request options, recorded in the provenance.
        ClassicEngine engine = new ClassicEngine();
        var res = engine.generate(GenerationRequest.builder(Task.INPAINT).model("classic").source(src).mask(mask)
                .seed(1).option("avoid", " 70,20,24,56 ").build(), ProgressListener.NONE, CancellationToken.none());
        assertArrayEquals(with.data(), res.first().image().data());
        assertEquals("70,20,24,56", res.provenance().parameters().get("avoid"));
        PigmentException e = assertThrows(PigmentException.class, () -> engine.generate(
                GenerationRequest.builder(Task.INPAINT).model("classic").source(src).mask(mask)
                        .option("avoid", "70,20,24").build(), ProgressListener.NONE, CancellationToken.none()));
        assertTrue(e.getMessage().contains("avoid=70,20,24") && e.getMessage().contains("x,y,w,h"), e.getMessage());
        e = assertThrows(PigmentException.class, () -> AvoidArea.parse("1,2,three,4"));
        assertTrue(e.getMessage().contains("'three'"), e.getMessage());
    }

    private static int reddish(RgbImage img, Mask mask) {
        int c = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                if (mask.data()[y * img.width() + x] > 0.5f && img.get(0, x, y) - img.get(1, x, y) > 0.3f) {
                    c++;
                }
            }
        }
        return c;
    }

    @Test
    void avoidingEverythingNearTheHoleStillFindsSourcesElsewhereOrExplains() {
        RgbImage truth = TestImages.stripes(64, 64, 8);
        Mask mask = TestImages.rects(64, 64, new int[] {20, 20, 20, 20});
        RgbImage src = TestImages.poisoned(truth, mask);
        // Everything within the 50 px band avoided except a far corner: the fill searches the whole image.
        RgbImage out = new PatchMatchInpainter(PatchMatchInpainter.Settings.DEFAULTS.withSearch(true, 4),
                AvoidArea.parse("0,0,64,40;0,40,40,24"), 2).fill(src, mask, CancellationToken.none());
        assertTrue(TestImages.holeMse(out, truth, mask) < 0.05);
        PigmentException e = assertThrows(PigmentException.class, () -> new PatchMatchInpainter(
                PatchMatchInpainter.Settings.DEFAULTS, AvoidArea.parse("0,0,64,64"), 2)
                .fill(src, mask, CancellationToken.none()));
        assertTrue(e.getMessage().contains("avoid area"), e.getMessage());
    }

    /**
     * Cancel at several moments of a 1-megapixel fill (early set-up, search and voting, final copy and
     * blend): the fill must stop within 100 ms. The median of the runs is asserted, as one run on a shared
     * 2-core machine can be descheduled for longer than that; every run must stop within a second.
     */
    @Test
    void cancelStopsWithin100Milliseconds() throws Exception {
        int side = 1024;
        RgbImage src = TestImages.noisyGradient(side, side, 0.2f, 5);
        Mask mask = TestImages.rects(side, side, new int[] {350, 350, 324, 324});
        long t0 = System.nanoTime();
        new PatchMatchInpainter(1).fill(src, mask, CancellationToken.none()); // also warms the JIT up
        long full = (System.nanoTime() - t0) / 1_000_000;
        double[] at = {0.05, 0.3, 0.6, 0.85, 0.95};
        double[] latencies = new double[at.length];
        for (int k = 0; k < at.length; k++) {
            CancellationToken token = new CancellationToken();
            AtomicLong cancelledAt = new AtomicLong();
            long delay = Math.round(at[k] * full);
            Thread canceller = new Thread(() -> {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                cancelledAt.set(System.nanoTime());
                token.cancel();
            });
            long start = System.nanoTime();
            canceller.start();
            boolean stopped = false;
            try {
                new PatchMatchInpainter(1).fill(src, mask, token);
            } catch (CancelledException expected) {
                stopped = true;
            }
            long end = System.nanoTime();
            canceller.join();
            // A run that finished before the cancel came (a faster repeat) stopped "at once".
            latencies[k] = stopped ? Math.max(0, (end - cancelledAt.get()) / 1e6) : 0;
            assertTrue(cancelledAt.get() > start);
            assertTrue(latencies[k] < 1000, "took " + latencies[k] + " ms to stop after cancel");
        }
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        assertTrue(sorted[sorted.length / 2] < 100, "stop latencies (ms) " + Arrays.toString(latencies)
                + " for a fill of " + full + " ms");
    }
}
