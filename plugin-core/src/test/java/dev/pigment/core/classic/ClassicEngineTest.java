package dev.pigment.core.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.CancelledException;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClassicEngineTest {
    private final ClassicEngine engine = new ClassicEngine();

    private static GenerationRequest.Builder inpaint(RgbImage src, Mask mask) {
        return GenerationRequest.builder(Task.INPAINT).model("classic").source(src).mask(mask).seed(7);
    }

    @Test
    void inpaintKeepsUnmaskedPixelsAndBlendsSoftEdges() {
        RgbImage truth = TestImages.noisyGradient(64, 64, 0.1f, 9);
        float[] m = TestImages.rects(64, 64, new int[] {20, 20, 20, 20}).data();
        // A soft rim: 0.75 is still hole (blended), 0.25 is not hole (fill equals source there).
        for (int x = 18; x < 42; x++) {
            m[18 * 64 + x] = Math.max(m[18 * 64 + x], 0.25f);
            m[19 * 64 + x] = Math.max(m[19 * 64 + x], 0.75f);
        }
        Mask mask = Mask.wrap(64, 64, m);
        RgbImage src = TestImages.poisoned(truth, mask);
        GenerationResult res = engine.generate(inpaint(src, mask).build(), ProgressListener.NONE, CancellationToken.none());
        RgbImage out = res.first().image();
        RgbImage fill = new PatchMatchInpainter(7).fill(src, mask, CancellationToken.none());
        int n = 64 * 64;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float s = src.data()[c * n + i];
                float o = out.data()[c * n + i];
                if (m[i] <= 0.5f) {
                    assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(o), "pixel " + i + " must be kept");
                } else {
                    float expected = s + m[i] * (fill.data()[c * n + i] - s);
                    assertEquals(expected, o, 1e-6f, "pixel " + i + " must be the fill blended by the mask");
                }
            }
        }
        assertEquals("classic", res.provenance().modelId());
        assertEquals(7, res.first().seed());
        assertEquals("patchmatch", res.provenance().parameters().get("fill"));
        assertEquals("5", res.provenance().parameters().get("patch-size"));
        assertEquals("band", res.provenance().parameters().get("search"));
        assertEquals("80", res.provenance().parameters().get("band-width"));
        assertEquals("1", res.provenance().parameters().get("strength"));
    }

    @Test
    void emptyMaskReturnsTheInputWithANote() {
        RgbImage src = TestImages.stripes(32, 32, 4);
        GenerationResult res = engine.generate(inpaint(src, Mask.empty(32, 32)).build(), ProgressListener.NONE,
                CancellationToken.none());
        assertSame(src, res.first().image());
        assertTrue(res.notes().stream().anyMatch(s -> s.contains("mask is empty")), res.notes().toString());
    }

    @Test
    void emptyMaskNeverConvertsAnEightBitSource() {
        RgbImage src = RgbImage.fromBgra(new byte[4 * 64 * 48], 64, 48);
        Mask mask = Mask.fromGray8(new byte[64 * 48], 64, 48);
        GenerationResult res = engine.generate(inpaint(src, mask).build(), ProgressListener.NONE,
                CancellationToken.none());
        assertSame(src, res.first().image());
        assertFalse(src.isConverted(), "an empty mask needs no float image");
        assertFalse(mask.isConverted(), "an empty gray8 mask is known from its bytes");
    }

    @Test
    void maskSizeMismatchAndUnsupportedTasksAreExplained() {
        RgbImage src = TestImages.stripes(32, 32, 4);
        PigmentException e = assertThrows(PigmentException.class, () -> inpaint(src, Mask.full(16, 32)).build());
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().contains("16x32"), e.getMessage());
        GenerationRequest txt = GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("classic").prompt("a cat").build();
        e = assertThrows(PigmentException.class, () -> engine.generate(txt, ProgressListener.NONE, CancellationToken.none()));
        assertTrue(e.getMessage().contains("inpaint and restyle only"), e.getMessage());
        GenerationRequest bad = inpaint(src, Mask.full(32, 32)).option("fill", "telea").build();
        e = assertThrows(PigmentException.class, () -> engine.generate(bad, ProgressListener.NONE, CancellationToken.none()));
        assertTrue(e.getMessage().contains("whole image"), e.getMessage());
        e = assertThrows(PigmentException.class, () -> RgbImage.filled(0, 0, 0f, 0f, 0f));
        assertTrue(e.getMessage().contains("0x0"), e.getMessage());
    }

    @Test
    void optionsAreValidatedAndUnknownOnesRefused() {
        RgbImage src = TestImages.stripes(48, 48, 6);
        Mask mask = TestImages.rects(48, 48, new int[] {10, 10, 12, 12});
        PigmentException e = assertThrows(PigmentException.class, () -> engine.generate(
                inpaint(src, mask).option("fill", "magic").build(), ProgressListener.NONE, CancellationToken.none()));
        assertTrue(e.getMessage().contains("fill=magic"), e.getMessage());
        PigmentException unknown = assertThrows(PigmentException.class, () -> engine.generate(
                inpaint(src, mask).option("fill", "telea").option("colour", "red").build(), ProgressListener.NONE,
                CancellationToken.none()));
        assertTrue(unknown.getMessage().contains("'colour'") && unknown.getMessage().contains("radius"), unknown.getMessage());
        GenerationResult res = engine.generate(inpaint(src, mask).option("fill", "telea").build(),
                ProgressListener.NONE, CancellationToken.none());
        assertEquals("5", res.provenance().parameters().get("radius"));
        assertFalse(res.first().seedUsed(), "telea draws nothing random, so no seed is reported");
    }

    @Test
    void randomSeedIsRecordedAndBatchSeedsCount() {
        RgbImage src = TestImages.noisyGradient(48, 48, 0.2f, 2);
        Mask mask = TestImages.rects(48, 48, new int[] {16, 16, 14, 14});
        GenerationResult res = engine.generate(inpaint(src, mask).seed(-1).batch(2).build(), ProgressListener.NONE,
                CancellationToken.none());
        long s0 = res.images().get(0).seed();
        assertTrue(s0 >= 0);
        assertEquals(s0 + 1, res.images().get(1).seed());
        assertEquals(Long.toString(s0), res.provenance().parameters().get("seed"));
        GenerationResult again = engine.generate(inpaint(src, mask).seed(s0).build(), ProgressListener.NONE,
                CancellationToken.none());
        assertEquals(res.first().image(), again.first().image(), "the recorded seed must reproduce the image");
    }

    @Test
    void cancelFromAnotherThreadStopsPromptly() throws Exception {
        int side = 1024;
        RgbImage src = TestImages.noisyGradient(side, side, 0.2f, 5);
        Mask mask = TestImages.rects(side, side, new int[] {350, 350, 324, 324});
        CancellationToken token = new CancellationToken();
        AtomicLong cancelledAt = new AtomicLong();
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cancelledAt.set(System.nanoTime());
            token.cancel();
        });
        canceller.start();
        long start = System.nanoTime();
        assertThrows(CancelledException.class,
                () -> engine.generate(inpaint(src, mask).build(), ProgressListener.NONE, token));
        long end = System.nanoTime();
        canceller.join();
        double afterCancelMs = (end - cancelledAt.get()) / 1e6;
        // Generous bound for a loaded shared machine; the cancel checks are ~0.1 ms of work apart.
        assertTrue(afterCancelMs < 1000, "took " + afterCancelMs + " ms to stop after cancel");
        assertTrue(cancelledAt.get() > start, "cancel must come while running");
    }

    @Test
    void alreadyCancelledTokenFailsAtOnce() {
        CancellationToken token = new CancellationToken();
        token.cancel();
        RgbImage src = TestImages.stripes(32, 32, 4);
        assertThrows(CancelledException.class, () -> engine.generate(
                inpaint(src, TestImages.rects(32, 32, new int[] {4, 4, 8, 8})).build(), ProgressListener.NONE, token));
    }

    @Test
    void restyleColorMovesMeanAndSpreadToTheReference() {
        RgbImage content = TestImages.noisyGradient(64, 48, 0.1f, 11);
        RgbImage reference = RgbImage.filled(40, 40, 0.6f, 0.4f, 0.3f);
        float[] rd = reference.data();
        for (int i = 0; i < 1600; i++) {
            rd[i] += 0.15f * (float) Math.sin(i * 0.37);
            rd[3200 + i] += 0.1f * (float) Math.cos(i * 0.21);
        }
        GenerationRequest req = GenerationRequest.builder(Task.RESTYLE).model("classic").source(content)
                .reference(reference).seed(3).build();
        GenerationResult res = engine.generate(req, ProgressListener.NONE, CancellationToken.none());
        double[][] out = ColorSpaces.meanStd(ColorSpaces.rgbToLab(res.first().image().data(), 64 * 48, null), 64 * 48);
        double[][] ref = ColorSpaces.meanStd(ColorSpaces.rgbToLab(rd, 1600, null), 1600);
        for (int c = 0; c < 3; c++) {
            assertEquals(ref[0][c], out[0][c], 0.5, "mean of Lab channel " + c);
            assertEquals(ref[1][c], out[1][c], 0.05 * ref[1][c] + 0.2, "std of Lab channel " + c);
        }
        assertEquals("color", res.provenance().parameters().get("method"));
        assertEquals("40x40", res.provenance().parameters().get("reference-size"));
    }

    @Test
    void restyleMethodsRunThroughTheEngine() {
        RgbImage content = TestImages.noisyGradient(40, 40, 0.05f, 12);
        RgbImage reference = TestImages.stripes(48, 48, 6);
        for (String method : ClassicEngine.METHODS) {
            GenerationRequest req = GenerationRequest.builder(Task.RESTYLE).model("classic").source(content)
                    .reference(reference).styleStrength(0.8).option("method", method).seed(1).build();
            GenerationResult res = engine.generate(req, ProgressListener.NONE, CancellationToken.none());
            assertEquals(40, res.first().image().width());
            assertEquals("0.8", res.provenance().parameters().get("style-strength"));
            assertTrue(!res.first().image().equals(content), method + " changed nothing");
        }
        PigmentException e = assertThrows(PigmentException.class, () -> engine.generate(
                GenerationRequest.builder(Task.RESTYLE).model("classic").source(content).reference(reference)
                        .option("method", "oil").build(), ProgressListener.NONE, CancellationToken.none()));
        assertTrue(e.getMessage().contains("color, distribution, texture"), e.getMessage());
    }
}
