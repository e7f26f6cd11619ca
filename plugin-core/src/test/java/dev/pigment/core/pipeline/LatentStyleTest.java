package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Restyle by latent statistics: style follows strength, structure stays. */
class LatentStyleTest {

    @Test
    void matchingMovesEachChannelsStatisticsByTheWeight() {
        float[] x = {0, 1, 2, 3, 10, 10, 10, 12};
        float[] target = {5, 7, 9, 11, -1, 1, -1, 1};
        float[] half = x.clone();
        LatentStyle.match(half, target, 2, 0.5);
        float[] full = x.clone();
        LatentStyle.match(full, target, 2, 1.0);
        for (int c = 0; c < 2; c++) {
            double[] want = LatentStyle.stats(target, 4 * c, 4);
            double[] got = LatentStyle.stats(full, 4 * c, 4);
            assertEquals(want[0], got[0], 1e-5);
            assertEquals(want[1], got[1], 1e-5);
            double[] before = LatentStyle.stats(x, 4 * c, 4);
            assertEquals((before[0] + want[0]) / 2, LatentStyle.stats(half, 4 * c, 4)[0], 1e-5);
        }
        float[] none = x.clone();
        LatentStyle.match(none, target, 2, 0.0);
        assertArrayEquals(x, none);
        assertEquals(1.0, LatentStyle.weight(1.0, 0, 0, 10));
        assertEquals(0.0, LatentStyle.weight(1.0, 9, 0, 10), 1e-9);
        assertEquals(0.25, LatentStyle.weight(0.5, 7, 0, 10), 1e-9);
    }

    static RgbImage content(int w, int h) {
        return LatentDiffusionPipelineTest.gradient(w, h);
    }

    /** A different palette and texture: fine red/yellow stripes. */
    static RgbImage reference(int w, int h) {
        float[] d = new float[3 * w * h];
        int n = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean stripe = ((x + y) / 2) % 2 == 0;
                d[y * w + x] = stripe ? 0.95f : 0.85f;
                d[n + y * w + x] = stripe ? 0.9f : 0.15f;
                d[2 * n + y * w + x] = stripe ? 0.1f : 0.05f;
            }
        }
        return RgbImage.wrap(w, h, d);
    }

    static double[] meanRgb(RgbImage img) {
        int n = img.width() * img.height();
        double[] m = new double[3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                m[c] += img.data()[c * n + i] / n;
            }
        }
        return m;
    }

    static double colourDistance(RgbImage a, RgbImage b) {
        double[] x = meanRgb(a);
        double[] y = meanRgb(b);
        return Math.abs(x[0] - y[0]) + Math.abs(x[1] - y[1]) + Math.abs(x[2] - y[2]);
    }

    /** Mean |4-neighbour Laplacian| of the luminance. */
    static double highFrequency(RgbImage img) {
        float[] l = luminance(img);
        int w = img.width();
        int h = img.height();
        double s = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                s += Math.abs(4 * l[i] - l[i - 1] - l[i + 1] - l[i - w] - l[i + w]);
            }
        }
        return s / ((w - 2) * (h - 2));
    }

    static float[] luminance(RgbImage img) {
        int n = img.width() * img.height();
        float[] l = new float[n];
        for (int i = 0; i < n; i++) {
            l[i] = 0.299f * img.data()[i] + 0.587f * img.data()[n + i] + 0.114f * img.data()[2 * n + i];
        }
        return l;
    }

    /** Pearson correlation of the gradient magnitudes: how much of a's edges are b's. */
    static double edgeCorrelation(RgbImage a, RgbImage b) {
        double[] ga = gradient(a);
        double[] gb = gradient(b);
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < ga.length; i++) {
            ma += ga[i] / ga.length;
            mb += gb[i] / gb.length;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < ga.length; i++) {
            sab += (ga[i] - ma) * (gb[i] - mb);
            saa += (ga[i] - ma) * (ga[i] - ma);
            sbb += (gb[i] - mb) * (gb[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    static double[] gradient(RgbImage img) {
        float[] l = luminance(img);
        int w = img.width();
        int h = img.height();
        double[] g = new double[(w - 1) * (h - 1)];
        for (int y = 0; y < h - 1; y++) {
            for (int x = 0; x < w - 1; x++) {
                double dx = l[y * w + x + 1] - l[y * w + x];
                double dy = l[(y + 1) * w + x] - l[y * w + x];
                g[y * (w - 1) + x] = Math.hypot(dx, dy);
            }
        }
        return g;
    }

    static ModelInfo model(String id) throws Exception {
        if (id.equals("demo")) {
            Path home = Path.of("..").toAbsolutePath().normalize();
            return new ModelRegistry(List.of(home.resolve("models"))).resolve("demo");
        }
        return FamilyContractTest.model(id);
    }

    private static RgbImage restyle(LatentDiffusionPipeline p, String id, RgbImage content, RgbImage reference,
                                    double styleStrength) {
        return p.generate(GenerationRequest.builder(Task.RESTYLE).model(id).prompt("a painting").seed(11).steps(4)
                .size(content.width(), content.height()).source(content).reference(reference).strength(0.35)
                .styleStrength(styleStrength).build(), ProgressListener.NONE, CancellationToken.none()).first().image();
    }

    /**
     * On the tiny Z-Image fixture: as style strength goes 0 -> 0.5 -> 1 the result's mean colour and its
     * high-frequency energy (mean |Laplacian|) move toward the striped reference's, while the edges of the
     * style-0 result (the content's layout as the model renders it) stay correlated above 0.5.
     */
    @Test
    void styleMovesWithStrengthWhileStructureStays() throws Exception {
        RgbImage content = content(64, 64);
        RgbImage reference = reference(64, 64);
        double refHf = highFrequency(reference);
        try (LatentDiffusionPipeline p = new LatentDiffusionPipeline(model("tiny-zimage"),
                RuntimeOptions.defaults().withThreads(1))) {
            RgbImage[] out = new RgbImage[3];
            for (int k = 0; k < 3; k++) {
                out[k] = restyle(p, "tiny-zimage", content, reference, k / 2.0);
            }
            for (int k = 1; k < 3; k++) {
                assertTrue(colourDistance(out[k], reference) < colourDistance(out[k - 1], reference) - 0.1, "colour at " + k);
                assertTrue(Math.abs(highFrequency(out[k]) - refHf) < Math.abs(highFrequency(out[k - 1]) - refHf) - 0.01,
                        "texture energy at " + k);
                double layout = edgeCorrelation(out[k], out[0]);
                assertTrue(layout > 0.5, "structure at " + k + ": edge correlation " + layout);
            }
        }
    }

    /** The SD family through the same seam: colour follows the reference and the layout stays. */
    @Test
    void theStableDiffusionFamilyRestylesThroughTheSameLoop() throws Exception {
        RgbImage content = content(64, 64);
        RgbImage reference = reference(64, 64);
        try (LatentDiffusionPipeline p = new LatentDiffusionPipeline(model("tiny-sd"),
                RuntimeOptions.defaults().withThreads(1))) {
            RgbImage none = restyle(p, "tiny-sd", content, reference, 0.0);
            RgbImage half = restyle(p, "tiny-sd", content, reference, 0.5);
            assertTrue(colourDistance(half, reference) < colourDistance(none, reference) - 0.1);
            assertTrue(edgeCorrelation(half, none) > 0.3, "structure: " + edgeCorrelation(half, none));
        }
    }

    /**
     * The latent statistics are really followed: two references with the same colour statistics (one the other's
     * pixels shuffled), which the colour transfer cannot tell apart, give different results through their latents.
     */
    @Test
    void theReferencesLatentsNotOnlyItsColoursSteerTheResult() throws Exception {
        RgbImage content = content(64, 64);
        RgbImage stripes = reference(64, 64);
        int n = 64 * 64;
        float[] shuffled = new float[3 * n];
        java.util.Random random = new java.util.Random(5);
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                shuffled[c * n + i] = stripes.data()[c * n + order[i]];
            }
        }
        try (LatentDiffusionPipeline p = new LatentDiffusionPipeline(model("tiny-zimage"),
                RuntimeOptions.defaults().withThreads(1))) {
            RgbImage a = restyle(p, "tiny-zimage", content, stripes, 1.0);
            RgbImage b = restyle(p, "tiny-zimage", content, RgbImage.wrap(64, 64, shuffled), 1.0);
            RgbImage a0 = restyle(p, "tiny-zimage", content, stripes, 0.0);
            RgbImage b0 = restyle(p, "tiny-zimage", content, RgbImage.wrap(64, 64, shuffled), 0.0);
            assertArrayEquals(a0.data(), b0.data(), "at style 0 only colour statistics matter");
            double diff = 0;
            for (int i = 0; i < a.data().length; i++) {
                diff += Math.abs(a.data()[i] - b.data()[i]) / a.data().length;
            }
            assertTrue(diff > 0.002, "mean difference " + diff);
        }
    }
}
