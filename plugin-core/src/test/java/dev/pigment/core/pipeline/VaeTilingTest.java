package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.VaeConfig;
import dev.pigment.core.runtime.ComponentGroup;
import dev.pigment.core.runtime.RuntimeOptions;
import org.junit.jupiter.api.Test;

/** Tiled VAE passes must agree with one whole pass: no visible seams where tiles meet. */
class VaeTilingTest {

    private static double meanAbsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void tiledDecodeAndEncodeMatchWholePasses() {
        ModelInfo model = TinyModels.model("tiny-sd");
        try (ComponentGroup group = new ComponentGroup(RuntimeOptions.defaults().withThreads(1))) {
            group.add(Vae.DECODER, model.componentFile(Vae.DECODER));
            group.add(Vae.ENCODER, model.componentFile(Vae.ENCODER));
            VaeConfig config = VaeConfig.read(model.folder());
            Vae whole = new Vae(group, config, 4, 1024);
            Vae tiled = new Vae(group, config, 4, 16);

            RgbImage image = LatentDiffusionPipelineTest.gradient(320, 256);
            float[] latentsWhole = whole.encode(image);
            float[] latentsTiled = tiled.encode(image);
            double encMax = maxAbsDiff(latentsWhole, latentsTiled);

            RgbImage a = whole.decode(latentsWhole, 32, 40);
            RgbImage b = tiled.decode(latentsWhole, 32, 40);
            double decMean = meanAbsDiff(a.data(), b.data());
            double decMax = maxAbsDiff(a.data(), b.data());
            assertTrue(decMean < 1e-4, "tiled decode agrees on average: " + decMean);
            assertTrue(decMax < 5e-3, "and nowhere shows a seam: " + decMax);
            assertTrue(encMax < 5e-3, "tiled encode agrees everywhere: " + encMax);
        }
    }
}
