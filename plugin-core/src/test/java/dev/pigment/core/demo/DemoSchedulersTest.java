package dev.pigment.core.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.pipeline.LatentDiffusionPipeline;
import dev.pigment.core.runtime.RuntimeOptions;
import org.junit.jupiter.api.Test;

/** Every scheduler the demo model's family lists draws a recognisable red heart on white (issue 7). */
class DemoSchedulersTest {
    /** Pixels that are clearly red, as a boolean map. */
    private static boolean[] red(RgbImage img) {
        int n = img.pixelCount();
        float[] d = img.data();
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = d[i] > 0.6f && d[n + i] < 0.4f && d[2 * n + i] < 0.45f;
        }
        return out;
    }

    private static double share(boolean[] m) {
        int c = 0;
        for (boolean b : m) {
            c += b ? 1 : 0;
        }
        return (double) c / m.length;
    }

    private static double iou(boolean[] a, boolean[] b) {
        int inter = 0;
        int union = 0;
        for (int i = 0; i < a.length; i++) {
            inter += a[i] && b[i] ? 1 : 0;
            union += a[i] || b[i] ? 1 : 0;
        }
        return union == 0 ? 0 : (double) inter / union;
    }

    @Test
    void everyListedSchedulerDrawsTheHeart() {
        ModelInfo model = DemoModel.info();
        try (LatentDiffusionPipeline pipeline = new LatentDiffusionPipeline(model, RuntimeOptions.defaults())) {
            boolean[] reference = null;
            for (String id : model.family().schedulers()) {
                RgbImage img = pipeline.generate(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("demo")
                        .prompt("red heart").seed(7).scheduler(id).build(), ProgressListener.NONE, CancellationToken.none())
                        .first().image();
                boolean[] heart = red(img);
                double s = share(heart);
                assertTrue(s > 0.25 && s < 0.75, id + ": a red shape covering part of the picture, found " + s);
                float corner = img.get(0, 1, 1) + img.get(1, 1, 1) + img.get(2, 1, 1);
                assertTrue(corner > 2.4f, id + ": on a white background, corner " + corner / 3);
                if (reference == null) {
                    reference = heart;
                } else {
                    assertTrue(iou(reference, heart) > 0.7, id + ": the same heart as "
                            + model.family().schedulers().get(0) + " draws, overlap " + iou(reference, heart));
                }
            }
        }
    }
}
