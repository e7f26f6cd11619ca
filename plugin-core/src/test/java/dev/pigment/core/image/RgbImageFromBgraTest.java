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

    @Test
    void everyEightBitValueSurvivesTheFloatRoundTripSoCopyingTheBytesIsExact() {
        byte[] all = new byte[4 * 256];
        for (int v = 0; v < 256; v++) {
            all[4 * v] = (byte) v;
            all[4 * v + 1] = (byte) (255 - v);
            all[4 * v + 2] = (byte) (v * 7);
            all[4 * v + 3] = (byte) v; // translucent alpha goes out as 255 either way
        }
        RgbImage lazy = RgbImage.fromBgra(all, 16, 16);
        RgbImage eager = RgbImage.fromBgra(all.clone(), 16, 16);
        eager.data();
        assertArrayEquals(eager.toBgra(), lazy.toBgra());
        assertFalse(lazy.isConverted(), "toBgra of an unconverted image copies its bytes");
    }

    @Test
    void pasteOntoAnUnconvertedImageConvertsNothingOutsideThePatchAndEqualsTheEagerPaste() {
        int w = 37;
        int h = 29;
        byte[] bgra = randomBgra(w, h, 4);
        int[][] places = {{5, 4, 9, 6}, {-3, -2, 8, 7}, {30, 25, 12, 9}, {0, 0, w, h}, {-40, 3, 5, 5}, {36, 28, 1, 1}};
        for (int[] at : places) {
            RgbImage patch = RgbImage.fromBgra(randomBgra(at[2], at[3], at[0] + 100), at[2], at[3]);
            RgbImage base = RgbImage.fromBgra(bgra, w, h);
            RgbImage eagerBase = RgbImage.fromBgra(bgra.clone(), w, h);
            eagerBase.data();
            RgbImage lazy = base.paste(patch, at[0], at[1]);
            RgbImage eager = eagerBase.paste(patch, at[0], at[1]);
            String where = java.util.Arrays.toString(at);
            assertFalse(base.isConverted() || lazy.isConverted(), where);
            patch.data()[0] = 42f; // the paste keeps its own copy: a later write to the patch does not leak in
            int[][] crops = {{0, 0, w, h}, {4, 3, 11, 8}, {29, 20, 8, 9}, {36, 0, 1, 29}};
            for (int[] c : crops) {
                assertArrayEquals(eager.crop(c[0], c[1], c[2], c[3]).data(), lazy.crop(c[0], c[1], c[2], c[3]).data(),
                        where + " crop " + java.util.Arrays.toString(c));
            }
            assertArrayEquals(eager.toBgra(), lazy.toBgra(), where);
            assertFalse(lazy.isConverted(), where + ": crop and toBgra stay 8-bit outside the patch");
            // A second paste onto the pasted image merges (converts) and is still exact.
            RgbImage again = lazy.paste(patch.crop(0, 0, 1, 1), 2, 2);
            assertArrayEquals(eager.paste(patch.crop(0, 0, 1, 1), 2, 2).data(), again.data(), where);
            assertArrayEquals(eager.data(), lazy.data(), where);
            assertTrue(lazy.isConverted());
            assertFalse(base.isConverted(), where + ": the source is never converted by its pasted copies");
        }
    }
}
