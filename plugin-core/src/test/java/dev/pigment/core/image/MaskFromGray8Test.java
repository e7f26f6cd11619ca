package dev.pigment.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A gray8 mask answers emptiness and coverage from its bytes, and converts to exactly v / 255f when read. */
class MaskFromGray8Test {
    @Test
    void emptinessAndCoverageComeFromTheBytesAndMatchTheConvertedMask() {
        byte[] all = new byte[256];
        for (int v = 0; v < 256; v++) {
            all[v] = (byte) v;
        }
        Mask lazy = Mask.fromGray8(all, 16, 16);
        Mask eager = Mask.fromGray8(all.clone(), 16, 16);
        eager.data();
        assertEquals(eager.coverage(), lazy.coverage());
        assertEquals(128 / 256.0, lazy.coverage());
        assertFalse(lazy.isEmpty());
        assertFalse(lazy.isConverted(), "coverage and isEmpty must not convert");
        for (int v = 0; v < 256; v++) {
            assertEquals(v / 255f, lazy.get(v % 16, v / 16));
        }
        assertTrue(lazy.isConverted());
        assertEquals(eager, lazy);
    }

    @Test
    void anAllZeroMaskIsEmptyWithoutConverting() {
        Mask m = Mask.fromGray8(new byte[40 * 30], 40, 30);
        assertTrue(m.isEmpty());
        assertEquals(0.0, m.coverage());
        assertFalse(m.isConverted());
        assertEquals(Mask.empty(40, 30), m);
    }

    @Test
    void oneNonZeroByteAnywhereMakesTheMaskNonEmptyAndCoverageCountsEveryByte() {
        // 131x257 is not a multiple of the 8-byte or 16 KiB blocks the scans work in: the tails are checked too.
        int w = 131;
        int h = 257;
        java.util.Random r = new java.util.Random(4);
        for (int at : new int[] {0, 7, 8, 16383, 16384, 16385, w * h - 9, w * h - 8, w * h - 1}) {
            for (int v : new int[] {1, 127, 128, 255}) {
                byte[] g = new byte[w * h];
                g[at] = (byte) v;
                Mask m = Mask.fromGray8(g, w, h);
                assertFalse(m.isEmpty(), "byte " + v + " at " + at);
                assertEquals(v >= 128 ? 1.0 / g.length : 0.0, m.coverage(), "byte " + v + " at " + at);
                assertFalse(m.isConverted());
            }
        }
        byte[] noise = new byte[w * h];
        r.nextBytes(noise);
        Mask lazy = Mask.fromGray8(noise, w, h);
        Mask eager = Mask.fromGray8(noise.clone(), w, h);
        eager.data();
        assertEquals(eager.coverage(), lazy.coverage());
        assertEquals(eager.isEmpty(), lazy.isEmpty());
    }

    @Test
    void emptinessIsRememberedOnlyWhileTheBytesAreTheSource() {
        Mask m = Mask.fromGray8(new byte[64 * 64], 64, 64);
        assertTrue(m.isEmpty());
        assertTrue(m.isEmpty());
        // Once converted, the floats are the truth (their creator may still fill them): no stale answer.
        m.data()[5] = 1f;
        assertFalse(m.isEmpty());
        assertEquals(1.0 / (64 * 64), m.coverage());
    }

    @Test
    void boundsAndCropComeFromTheBytesAndMatchTheConvertedMask() {
        int w = 53;
        int h = 41;
        java.util.Random r = new java.util.Random(8);
        int[][] boxes = {{0, 0, 1, 1}, {52, 40, 1, 1}, {10, 5, 20, 3}, {0, 20, 53, 1}, {7, 0, 1, 41}};
        for (int[] b : boxes) {
            byte[] g = new byte[w * h];
            for (int y = b[1]; y < b[1] + b[3]; y++) {
                for (int x = b[0]; x < b[0] + b[2]; x++) {
                    // Only the box's corners are sure to be set: the bounds must be found from sparse bytes too.
                    boolean corner = (x == b[0] || x == b[0] + b[2] - 1) && (y == b[1] || y == b[1] + b[3] - 1);
                    g[y * w + x] = (byte) (corner ? 1 + r.nextInt(255) : r.nextInt(2) * 200);
                }
            }
            Mask lazy = Mask.fromGray8(g, w, h);
            Mask eager = Mask.fromGray8(g.clone(), w, h);
            eager.data();
            java.awt.Rectangle expected = new java.awt.Rectangle(b[0], b[1], b[2], b[3]);
            assertEquals(expected, lazy.bounds());
            assertEquals(expected, eager.bounds());
            lazy.bounds().grow(5, 5); // the caller's copy: the remembered bounds do not move
            assertEquals(expected, lazy.bounds());
            assertEquals(expected, MaskOps.bounds(lazy));
            int[][] crops = {{0, 0, w, h}, {b[0], b[1], b[2], b[3]}, {3, 4, 10, 9}};
            for (int[] c : crops) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(eager.crop(c[0], c[1], c[2], c[3]).data(),
                        lazy.crop(c[0], c[1], c[2], c[3]).data());
            }
            assertFalse(lazy.isConverted(), "bounds and crop must not convert");
        }
        assertEquals(null, Mask.fromGray8(new byte[w * h], w, h).bounds());
        assertEquals(null, Mask.empty(w, h).bounds());
    }
}
