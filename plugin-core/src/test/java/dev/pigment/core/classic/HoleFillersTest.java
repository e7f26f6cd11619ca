package dev.pigment.core.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Progress;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HoleFillersTest {

    @ParameterizedTest
    @ValueSource(strings = {"patchmatch", "telea", "blur", "neutral"})
    void fillsEveryHolePixelAndNothingElse(String mode) {
        RgbImage truth = TestImages.noisyGradient(80, 64, 0.05f, 1);
        Mask mask = TestImages.rects(80, 64, new int[] {20, 16, 24, 20}, new int[] {0, 0, 10, 8});
        RgbImage src = TestImages.poisoned(truth, mask);
        RgbImage out = Fills.forMode(mode).fill(src, mask, CancellationToken.none());
        int n = src.pixelCount();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float o = out.data()[c * n + i];
                float s = src.data()[c * n + i];
                if (mask.data()[i] == 0f) {
                    assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(o), mode + " changed a kept pixel");
                }
            }
            if (mask.data()[i] > 0.5f) {
                // Magenta (1,0,1) appears nowhere outside the hole, so no fill may reproduce it.
                boolean stillMagenta = out.data()[i] == 1f && out.data()[n + i] == 0f && out.data()[2 * n + i] == 1f;
                assertTrue(!stillMagenta, mode + " left a hole pixel unfilled");
            }
        }
    }

    @Test
    void patchMatchContinuesAPeriodicTexture() {
        RgbImage truth = TestImages.stripes(128, 128, 8);
        Mask mask = TestImages.rects(128, 128, new int[] {50, 46, 28, 30});
        RgbImage src = TestImages.poisoned(truth, mask);
        double pm = TestImages.holeMse(new PatchMatchInpainter(3).fill(src, mask, CancellationToken.none()), truth, mask);
        double neutral = TestImages.holeMse(new NeutralFill().fill(src, mask, CancellationToken.none()), truth, mask);
        double telea = TestImages.holeMse(new TeleaInpainter().fill(src, mask, CancellationToken.none()), truth, mask);
        // Stripes span ~0.5 in R and G; a fill that had the texture wrong would be ~0.1 off.
        assertTrue(pm < 0.005, "patchmatch hole MSE " + pm);
        assertTrue(pm < 0.2 * neutral, "patchmatch " + pm + " vs neutral " + neutral);
        assertTrue(pm < 0.5 * telea, "patchmatch " + pm + " vs telea " + telea);
    }

    @Test
    void patchMatchHandlesSeveralHolesTouchingTheBorder() {
        RgbImage truth = TestImages.stripes(120, 100, 10);
        Mask mask = TestImages.rects(120, 100,
                new int[] {0, 0, 18, 16},      // top-left corner
                new int[] {104, 40, 16, 20},   // right border
                new int[] {40, 84, 22, 16},    // bottom border
                new int[] {55, 35, 14, 14});   // inside
        RgbImage src = TestImages.poisoned(truth, mask);
        RgbImage out = new PatchMatchInpainter(11).fill(src, mask, CancellationToken.none());
        double pm = TestImages.holeMse(out, truth, mask);
        double neutral = TestImages.holeMse(new NeutralFill().fill(src, mask, CancellationToken.none()), truth, mask);
        assertTrue(pm < 0.01, "hole MSE " + pm);
        assertTrue(pm < 0.2 * neutral, "patchmatch " + pm + " vs neutral " + neutral);
    }

    @Test
    void patchMatchOutpaintsABorderBand() {
        RgbImage truth = TestImages.stripes(96, 80, 8);
        Mask band = TestImages.rects(96, 80, new int[] {76, 0, 20, 80});
        RgbImage src = TestImages.poisoned(truth, band);
        for (boolean bandSearch : new boolean[] {false, true}) {
            RgbImage out = new PatchMatchInpainter(7, bandSearch, 32, 5).fill(src, band, CancellationToken.none());
            double pm = TestImages.holeMse(out, truth, band);
            double neutral = TestImages.holeMse(new NeutralFill().fill(src, band, CancellationToken.none()), truth, band);
            assertTrue(pm < 0.01, "band search " + bandSearch + ": hole MSE " + pm);
            assertTrue(pm < 0.2 * neutral, "patchmatch " + pm + " vs neutral " + neutral);
        }
    }

    @Test
    void patchMatchIsDeterministicPerSeed() {
        RgbImage truth = TestImages.noisyGradient(96, 96, 0.2f, 3);
        Mask mask = TestImages.rects(96, 96, new int[] {30, 30, 30, 30});
        RgbImage src = TestImages.poisoned(truth, mask);
        RgbImage a = new PatchMatchInpainter(42).fill(src, mask, CancellationToken.none());
        RgbImage b = new PatchMatchInpainter(42).fill(src, mask, CancellationToken.none());
        RgbImage c = new PatchMatchInpainter(43).fill(src, mask, CancellationToken.none());
        assertArrayEquals(a.data(), b.data());
        assertNotEquals(a, c, "a different seed should give a different fill of a noise texture");
    }

    @Test
    void patchMatchReportsProgressPerIteration() {
        RgbImage src = TestImages.noisyGradient(200, 160, 0.1f, 4);
        Mask mask = TestImages.rects(200, 160, new int[] {60, 40, 80, 80});
        List<Progress> events = new ArrayList<>();
        new PatchMatchInpainter(1).fill(src, mask, events::add, CancellationToken.none());
        assertTrue(events.size() >= 3, "events: " + events.size());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(Phase.FILL, events.get(i).phase());
            assertEquals(i + 1, events.get(i).step());
        }
        assertEquals(events.get(events.size() - 1).totalSteps(), events.get(events.size() - 1).step());
    }

    @Test
    void blurFillIsSmoothAndBetweenItsSurroundings() {
        // Left half black, right half white, a hole across the edge: the fill must be a ramp in [0,1].
        int w = 64;
        int h = 32;
        float[] d = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = w / 2; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    d[c * w * h + y * w + x] = 1f;
                }
            }
        }
        Mask mask = TestImages.rects(w, h, new int[] {16, 8, 32, 16});
        RgbImage out = new BlurFill().fill(RgbImage.wrap(w, h, d), mask, CancellationToken.none());
        float left = out.get(0, 18, 16);
        float mid = out.get(0, 32, 16);
        float right = out.get(0, 46, 16);
        assertTrue(left < mid && mid < right, left + " " + mid + " " + right);
        assertTrue(left >= 0f && right <= 1f);
    }

    @Test
    void wholeImageMaskIsRefusedByFillersThatCopy() {
        RgbImage src = TestImages.stripes(16, 16, 4);
        Mask all = Mask.full(16, 16);
        for (String mode : new String[] {"patchmatch", "telea", "blur"}) {
            PigmentException e = assertThrows(PigmentException.class,
                    () -> Fills.forMode(mode).fill(src, all, CancellationToken.none()));
            assertEquals(ErrorCode.BAD_REQUEST, e.code());
            assertTrue(e.getMessage().contains("covers the whole image"), e.getMessage());
        }
        RgbImage grey = new NeutralFill().fill(src, all, CancellationToken.none());
        assertEquals(0.5f, grey.get(1, 3, 3));
    }

    @Test
    void tinyImagesFailClearlyOrWork() {
        RgbImage src = TestImages.stripes(4, 4, 2);
        Mask one = TestImages.rects(4, 4, new int[] {1, 1, 1, 1});
        PigmentException e = assertThrows(PigmentException.class,
                () -> new PatchMatchInpainter(0).fill(src, one, CancellationToken.none()));
        assertTrue(e.getMessage().contains("patch-size"), e.getMessage());
        RgbImage telea = new TeleaInpainter().fill(src, one, CancellationToken.none());
        assertNotEquals(src, telea);
        assertTrue(assertThrows(PigmentException.class, () -> RgbImage.wrap(0, 5, new float[0])).getMessage().contains("0x5"));
    }

    @Test
    void sizeMismatchAndBadOptionsAreExplained() {
        RgbImage src = TestImages.stripes(20, 20, 4);
        Mask wrong = Mask.full(10, 20);
        PigmentException e = assertThrows(PigmentException.class,
                () -> new TeleaInpainter().fill(src, wrong, CancellationToken.none()));
        assertTrue(e.getMessage().contains("10x20") && e.getMessage().contains("20x20"), e.getMessage());
        e = assertThrows(PigmentException.class, () -> Fills.forMode("smear"));
        assertTrue(e.getMessage().contains("patchmatch, telea, blur, neutral"), e.getMessage());
        e = assertThrows(PigmentException.class, () -> Fills.forMode("patchmatch", Map.of("patch-size", "8"), 0));
        assertTrue(e.getMessage().contains("patch-size=8"), e.getMessage());
        e = assertThrows(PigmentException.class, () -> Fills.forMode("patchmatch", Map.of("search", "nearby"), 0));
        assertTrue(e.getMessage().contains("image, band"), e.getMessage());
    }
}
