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
}
