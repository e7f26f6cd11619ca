package dev.pigment.core.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.image.RgbImage;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StyleTransfersTest {
    private static final CancellationToken NONE = CancellationToken.none();

    @Test
    void colorSpacesRoundTrip() {
        RgbImage img = TestImages.noisyGradient(32, 32, 0.3f, 1);
        int n = img.pixelCount();
        for (ColorSpaces.Space space : ColorSpaces.Space.values()) {
            float[] back = space.toRgb(space.fromRgb(img.data(), n), n);
            for (int i = 0; i < back.length; i++) {
                assertEquals(img.data()[i], back[i], 2e-4f, space + " at " + i);
            }
        }
        float[] white = ColorSpaces.rgbToLab(RgbImage.filled(1, 1, 1f, 1f, 1f).data(), 1, null);
        assertEquals(100f, white[0], 0.01f);
        assertEquals(0f, white[1], 0.01f);
        assertEquals(0f, white[2], 0.01f);
    }

    @Test
    void reinhardMatchesMeanAndStdInLalphabetaAndKeepsLuminanceWhenAsked() {
        RgbImage content = TestImages.noisyGradient(50, 40, 0.1f, 2);
        RgbImage reference = TestImages.noisyGradient(30, 30, 0.15f, 3);
        float[] rd = reference.data().clone();
        for (int i = 0; i < 900; i++) {
            rd[i] = 0.3f + 0.5f * rd[i];     // a darker, redder-less reference
        }
        reference = RgbImage.wrap(30, 30, rd);
        ColorSpaces.Space space = ColorSpaces.Space.LALPHABETA;
        RgbImage out = new ReinhardTransfer(space, false).transfer(content, reference, 1.0, ProgressListener.NONE, NONE);
        double[][] o = ColorSpaces.meanStd(space.fromRgb(out.data(), 2000), 2000);
        double[][] r = ColorSpaces.meanStd(space.fromRgb(rd, 900), 900);
        for (int c = 0; c < 3; c++) {
            assertEquals(r[0][c], o[0][c], 0.01, "mean " + c);
            assertEquals(r[1][c], o[1][c], 0.05 * r[1][c] + 1e-3, "std " + c);
        }
        RgbImage kept = new ReinhardTransfer(ColorSpaces.Space.LAB, true).transfer(content, reference, 1.0,
                ProgressListener.NONE, NONE);
        double[][] before = ColorSpaces.meanStd(ColorSpaces.rgbToLab(content.data(), 2000, null), 2000);
        double[][] after = ColorSpaces.meanStd(ColorSpaces.rgbToLab(kept.data(), 2000, null), 2000);
        assertEquals(before[0][0], after[0][0], 0.3, "preserved lightness");
        RgbImage none = new ReinhardTransfer().transfer(content, reference, 0.0, ProgressListener.NONE, NONE);
        assertArrayEquals(content.data(), none.data(), 2e-4f, "strength 0 keeps the content");
    }

    @Test
    void distributionTransferMatchesABimodalReference() {
        int n = 4096;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] c = new float[3 * n];
        float[] r = new float[3 * n];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < 3; ch++) {
                c[ch * n + i] = (float) (0.45 + 0.1 * rnd.nextGaussian() * 0.5);
                // Two clusters: the mean/std of Reinhard cannot reproduce this, the full transfer can.
                boolean second = i % 2 == 0;
                r[ch * n + i] = (float) ((second ? 0.2 + 0.5 * ch / 2.0 : 0.8 - 0.5 * ch / 2.0) + 0.02 * rnd.nextGaussian());
            }
        }
        RgbImage content = RgbImage.wrap(64, 64, clamp(c));
        RgbImage reference = RgbImage.wrap(64, 64, clamp(r));
        RgbImage idt = new DistributionTransfer(ColorSpaces.Space.LAB, false, 20, 1).transfer(content, reference, 1.0,
                ProgressListener.NONE, NONE);
        RgbImage reinhard = new ReinhardTransfer().transfer(content, reference, 1.0, ProgressListener.NONE, NONE);
        double before = marginalDistance(content, reference);
        double afterIdt = marginalDistance(idt, reference);
        double afterReinhard = marginalDistance(reinhard, reference);
        assertTrue(afterIdt < 0.15 * before, "IDT " + afterIdt + " vs before " + before);
        assertTrue(afterIdt < 0.5 * afterReinhard, "IDT " + afterIdt + " vs Reinhard " + afterReinhard);
        RgbImage again = new DistributionTransfer(ColorSpaces.Space.LAB, false, 20, 1).transfer(content, reference,
                1.0, ProgressListener.NONE, NONE);
        assertArrayEquals(idt.data(), again.data(), "same seed, same result");
    }

    @Test
    void textureTransferTakesTheReferenceTextureAndKeepsTheStructure() {
        // Content: a smooth left-dark/right-bright ramp. Reference: fine stripes over the same tonal range.
        int w = 96;
        int h = 64;
        int n = w * h;
        float[] c = new float[3 * n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    c[ch * n + y * w + x] = 0.1f + 0.8f * x / (w - 1);
                }
            }
        }
        RgbImage content = RgbImage.wrap(w, h, c);
        int rw = 80;
        float[] r = new float[3 * rw * rw];
        for (int y = 0; y < rw; y++) {
            for (int x = 0; x < rw; x++) {
                float base = 0.1f + 0.8f * y / (rw - 1);
                float v = Math.max(0f, Math.min(1f, base + ((x / 2) % 2 == 0 ? 0.1f : -0.1f)));
                for (int ch = 0; ch < 3; ch++) {
                    r[ch * rw * rw + y * rw + x] = v;
                }
            }
        }
        RgbImage reference = RgbImage.wrap(rw, rw, r);
        RgbImage out = new PatchStyleTransfer(5, false, 1).transfer(content, reference, 1.0, ProgressListener.NONE, NONE);
        double contentDetail = detail(content);
        double outDetail = detail(out);
        double refDetail = detail(reference);
        assertTrue(outDetail > 0.4 * refDetail, "texture " + outDetail + " vs reference " + refDetail
                + " (content " + contentDetail + ")");
        assertTrue(correlation(columnMeans(out), columnMeans(content)) > 0.9, "the ramp must survive");
        RgbImage zero = new PatchStyleTransfer(5, false, 1).transfer(content, reference, 0.0, ProgressListener.NONE, NONE);
        assertArrayEquals(content.data(), zero.data(), 1e-6f);
    }

    /** Mean absolute difference between horizontal neighbours of channel 0: fine texture. */
    private static double detail(RgbImage img) {
        double s = 0;
        int w = img.width();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 1; x < w; x++) {
                s += Math.abs(img.get(0, x, y) - img.get(0, x - 1, y));
            }
        }
        return s / ((w - 1) * img.height());
    }

    private static double[] columnMeans(RgbImage img) {
        double[] m = new double[img.width()];
        for (int x = 0; x < img.width(); x++) {
            for (int y = 0; y < img.height(); y++) {
                m[x] += img.get(0, x, y) / img.height();
            }
        }
        return m;
    }

    private static double correlation(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** Sum over RGB channels of the mean absolute difference between sorted values (1-D Wasserstein-1). */
    private static double marginalDistance(RgbImage a, RgbImage b) {
        int n = a.pixelCount();
        double d = 0;
        for (int c = 0; c < 3; c++) {
            float[] x = Arrays.copyOfRange(a.data(), c * n, (c + 1) * n);
            float[] y = Arrays.copyOfRange(b.data(), c * n, (c + 1) * n);
            Arrays.sort(x);
            Arrays.sort(y);
            for (int i = 0; i < n; i++) {
                d += Math.abs(x[i] - y[i]) / n;
            }
        }
        return d;
    }

    private static float[] clamp(float[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(0f, Math.min(1f, v[i]));
        }
        return v;
    }
}
