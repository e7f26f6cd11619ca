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
}
