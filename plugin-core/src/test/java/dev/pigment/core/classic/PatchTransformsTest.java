package dev.pigment.core.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.PigmentException;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Generalized PatchMatch: mirrored and rotated source patches are found when allowed, and only then. */
class PatchTransformsTest {

    @Test
    void transformsMapOffsetsAsMirrorsAndQuarterTurns() {
        // Every transform is a bijection of the patch offsets onto themselves, and the 8 are distinct.
        int r = 2;
        int[][] off = PatchTransforms.offsets(r, 100);
        for (int t = 0; t < PatchTransforms.COUNT; t++) {
            assertEquals(25, java.util.Arrays.stream(off[t]).distinct().count());
            for (int u = 0; u < t; u++) {
                assertTrue(!java.util.Arrays.equals(off[t], off[u]), t + " equals " + u);
            }
        }
        assertEquals(-1, PatchTransforms.dx(1, 1, 0)); // mirror
        assertEquals(1, PatchTransforms.dy(2, 1, 0));  // quarter turn: (1,0) -> (0,1)
    }

    /** Mean SSD per patch after a search of A (noise) against B = A transformed by {@code how}. */
    private static double residual(int how, int transforms) {
        int w = 48;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] a = new float[3 * w * w];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble();
        }
        float[] b = new float[a.length];
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < w; x++) {
                int sx = how == 1 ? w - 1 - x : y;   // 1: mirror x; 2: transpose (a mirrored quarter turn)
                int sy = how == 1 ? y : x;
                System.arraycopy(a, 3 * (sy * w + sx), b, 3 * (y * w + x), 3);
            }
        }
        int r = 2;
        boolean[] valid = new boolean[w * w];
        int[] targets = new int[(w - 2 * r) * (w - 2 * r)];
        int n = 0;
        for (int y = r; y < w - r; y++) {
            for (int x = r; x < w - r; x++) {
                valid[y * w + x] = true;
                targets[n++] = y * w + x;
            }
        }
        PatchMatchField f = new PatchMatchField(3, r, a, w, w, b, w, w, targets, valid);
        if (transforms > 1) {
            f.allowTransforms(transforms);
        }
        f.randomize(7);
        f.recomputeCosts(CancellationToken.none());
        f.search(8, 11, CancellationToken.none());
        double sum = 0;
        for (int p : targets) {
            sum += f.costOf(p);
        }
        return sum / targets.length;
    }

    @Test
    void mirroredAndRotatedCopiesAreFoundOnlyWhenAllowed() {
        double plain = residual(1, 1);
        double mirror = residual(1, 2);
        assertTrue(mirror < 0.01 * plain, "mirror: " + mirror + " vs translation only " + plain);
        double rotPlain = residual(2, 2);
        double rot = residual(2, PatchTransforms.COUNT);
        assertTrue(rot < 0.01 * rotPlain, "transpose: " + rot + " vs mirror only " + rotPlain);
    }

    @Test
    void transformsOptionIsReadRecordedAndDeterministic() {
        var src = TestImages.poisoned(TestImages.stripes(64, 64, 8), TestImages.rects(64, 64, new int[] {20, 20, 20, 20}));
        var mask = TestImages.rects(64, 64, new int[] {20, 20, 20, 20});
        HoleFiller f = Fills.forMode("patchmatch", Map.of("transforms", "rotate"), 4);
        assertEquals(PatchTransforms.COUNT, ((PatchMatchInpainter) f).settings().transforms());
        assertArrayEquals(f.fill(src, mask, CancellationToken.none()).data(),
                Fills.forMode("patchmatch", Map.of("transforms", "rotate"), 4).fill(src, mask, CancellationToken.none()).data());
        PigmentException e = assertThrows(PigmentException.class,
                () -> Fills.forMode("patchmatch", Map.of("transforms", "scale"), 0));
        assertTrue(e.getMessage().contains("transforms=scale") && e.getMessage().contains("mirror"), e.getMessage());
    }
}
