package dev.pigment.core.classic;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.RgbImage;
import org.junit.jupiter.api.Test;

/** Colour restyle of white-background content keeps the background white (issue 7). */
class NeutralBackgroundRestyleTest {
    /** An emoji-like image: a blue disc with a black outline on a white background. */
    static RgbImage emoji(int size) {
        int n = size * size;
        float[] d = new float[3 * n];
        double c = size / 2.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double r = Math.hypot(x - c, y - c);
                float[] px = r < size * 0.3 ? new float[] {0.2f, 0.4f, 0.9f}
                        : r < size * 0.34 ? new float[] {0.02f, 0.02f, 0.02f} : new float[] {1f, 1f, 1f};
                for (int ch = 0; ch < 3; ch++) {
                    d[ch * n + y * size + x] = px[ch];
                }
            }
        }
        return RgbImage.wrap(size, size, d);
    }

    /** A warm sunset reference: no white at all. */
    static RgbImage sunset(int size) {
        int n = size * size;
        float[] d = new float[3 * n];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float t = (float) y / size;
                d[y * size + x] = 0.9f - 0.3f * t;
                d[n + y * size + x] = 0.5f - 0.3f * t;
                d[2 * n + y * size + x] = 0.2f + 0.1f * (float) x / size;
            }
        }
        return RgbImage.wrap(size, size, d);
    }

    /** Largest difference from pure white over the corner region, in 8-bit levels. */
    static double worstBackgroundLevels(RgbImage img) {
        int n = img.pixelCount();
        int w = img.width();
        double worst = 0;
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                for (int c = 0; c < 3; c++) {
                    worst = Math.max(worst, (1 - img.data()[c * n + y * w + x]) * 255);
                }
            }
        }
        return worst;
    }

    @Test
    void defaultColourTransferKeepsAWhiteBackgroundWhiteAndRecoloursTheSubject() {
        RgbImage content = emoji(64);
        RgbImage out = new ClassicEngine().generate(GenerationRequest.builder(Task.RESTYLE).model("classic")
                .source(content).reference(sunset(40)).build(), ProgressListener.NONE, CancellationToken.none())
                .first().image();
        assertTrue(worstBackgroundLevels(out) <= 3, "background within 3 levels of white: " + worstBackgroundLevels(out));
        int centre = 32 * 64 + 32;
        int n = 64 * 64;
        assertTrue(out.data()[centre] > out.data()[2 * n + centre], "the blue disc took the warm reference's colour");
        RgbImage plain = new ReinhardTransfer(ColorSpaces.Space.LAB, false, false).transfer(content, sunset(40), 1.0,
                ProgressListener.NONE, CancellationToken.none());
        assertTrue(worstBackgroundLevels(plain) > 10, "plain Reinhard tints it: " + worstBackgroundLevels(plain));
    }
}
