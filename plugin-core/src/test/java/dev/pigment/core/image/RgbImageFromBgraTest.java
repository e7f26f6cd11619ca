package dev.pigment.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** A BGRA image converts to floats only when read, and a crop of it converts only the crop. */
class RgbImageFromBgraTest {
    private static byte[] randomBgra(int w, int h, long seed) {
        byte[] b = new byte[4 * w * h];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void sizeIsKnownWithoutConvertingAndTheFirstReadConvertsExactly() {
        byte[] bgra = randomBgra(7, 5, 1);
        RgbImage img = RgbImage.fromBgra(bgra, 7, 5);
        assertEquals(35, img.pixelCount());
        assertFalse(img.isConverted());
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                int i = 4 * (y * 7 + x);
                assertEquals((bgra[i + 2] & 0xFF) / 255f, img.get(0, x, y));
                assertEquals((bgra[i + 1] & 0xFF) / 255f, img.get(1, x, y));
                assertEquals((bgra[i] & 0xFF) / 255f, img.get(2, x, y));
            }
        }
        assertTrue(img.isConverted());
    }

    @Test
    void cropOfAnUnconvertedImageEqualsTheCropOfTheConvertedOneAndConvertsNothingElse() {
        byte[] bgra = randomBgra(13, 11, 2);
        RgbImage lazy = RgbImage.fromBgra(bgra, 13, 11);
        RgbImage eager = RgbImage.fromBgra(bgra.clone(), 13, 11);
        eager.data();
        int[][] crops = {{0, 0, 13, 11}, {3, 2, 5, 7}, {12, 10, 1, 1}, {0, 4, 13, 3}};
        for (int[] c : crops) {
            RgbImage a = lazy.crop(c[0], c[1], c[2], c[3]);
            assertArrayEquals(eager.crop(c[0], c[1], c[2], c[3]).data(), a.data(), java.util.Arrays.toString(c));
        }
        assertFalse(lazy.isConverted(), "a crop must not convert the whole image");
        assertEquals(eager, lazy);
        assertTrue(lazy.isConverted());
    }

    @Test
    void toBgraRoundTripsTheColourBytes() {
        byte[] bgra = randomBgra(4, 3, 3);
        byte[] back = RgbImage.fromBgra(bgra, 4, 3).toBgra();
        for (int i = 0; i < bgra.length; i++) {
            assertEquals(i % 4 == 3 ? (byte) 0xFF : bgra[i], back[i], "byte " + i);
        }
    }
}
