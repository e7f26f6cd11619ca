package dev.pigment.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Unit8Test {
    @Test
    void theTableIsBitIdenticalToDividingBy255() {
        byte[] bgra = new byte[4 * 256];
        for (int v = 0; v < 256; v++) {
            assertEquals(Float.floatToIntBits(v / 255f), Float.floatToIntBits(Unit8.of((byte) v)), "value " + v);
            bgra[4 * v] = (byte) v;
            bgra[4 * v + 1] = (byte) (255 - v);
            bgra[4 * v + 2] = (byte) (v * 7);
        }
        RgbImage img = RgbImage.fromBgra(bgra, 16, 16);
        for (int v = 0; v < 256; v++) {
            assertEquals(((v * 7) & 0xFF) / 255f, img.data()[v]);
            assertEquals((255 - v) / 255f, img.data()[256 + v]);
            assertEquals(v / 255f, img.data()[512 + v]);
        }
    }
}
